"""The time margins of the fault suite, in one place (decision 0008).

A bound a backend promises (its connect timeout, its statement or read timeout) is checked
with ``allowed(bound) = FACTOR * bound + SLACK``: the factor covers the documented ways a
bound can legitimately add up (a sync family driver applies read_timeout to each socket read,
a connect may retry once), the slack a busy 2-core machine (seven helpers' test runs measured
up to 2 s of scheduling delay on a loopback connect). These margins are never loosened: a
call that needs more is a defect, not a flaky test.
"""

FACTOR = 2.0
SLACK = 10.0


def allowed(bound: float) -> float:
    return FACTOR * bound + SLACK


# A statement that must not wait at all (the server is up, the proxy forwards).
QUICK = 5.0
