"""TLS contract: plain by default, verification enforced when asked (needs the TLS server)."""

from __future__ import annotations

import pytest

from rhosocial.activerecord.backend import errors as core_errors

from .servers import config_kwargs

#: TLS settings and whether the session must be encrypted, against a server that offers TLS:
#: no settings and "disabled" mean plain (drivers left to themselves may encrypt anyway).
SESSION_TLS_CASES = [
    pytest.param({}, False, id="no-tls-settings"),
    pytest.param({"ssl_mode": "disabled"}, False, id="disabled"),
    pytest.param({"ssl_mode": "required"}, True, id="required"),
]
SESSION_CIPHER_SQL = "SHOW SESSION STATUS LIKE 'Ssl_cipher'"


def session_cipher(result) -> str:
    """The server's own word on the session's cipher ('' for a plain session)."""
    return list(result.data[0].values())[1] or ""


class TLSContract:
    @pytest.mark.parametrize("settings, encrypted", SESSION_TLS_CASES)
    def test_session_is_encrypted_only_when_tls_is_asked_for(
        self, backend_classes, tls, settings, encrypted
    ):
        backend = backend_classes[0](**config_kwargs(tls, **settings))
        backend.connect()
        try:
            assert bool(session_cipher(backend.execute(SESSION_CIPHER_SQL))) is encrypted
        finally:
            backend.disconnect()

    @pytest.mark.parametrize("settings, encrypted", SESSION_TLS_CASES)
    async def test_async_session_is_encrypted_only_when_tls_is_asked_for(
        self, backend_classes, tls, settings, encrypted
    ):
        backend = backend_classes[1](**config_kwargs(tls, **settings))
        await backend.connect()
        try:
            assert bool(session_cipher(await backend.execute(SESSION_CIPHER_SQL))) is encrypted
        finally:
            await backend.disconnect()

    def test_plain_server_without_tls_settings_connects_in_plain_text(
        self, backend_classes, server_kwargs
    ):
        backend = backend_classes[0](**server_kwargs())
        backend.connect()
        try:
            assert backend.config.ssl_mode == "disabled" and backend.server_info.tls_cipher is None
        finally:
            backend.disconnect()

    def test_right_ca_verifies_chain_and_host(self, backend_classes, tls):
        backend = backend_classes[0](**config_kwargs(tls, ssl_ca=tls["tls"]["ca"]))
        backend.connect()
        try:
            assert backend.config.ssl_mode == "verify_identity"
            assert backend.server_info.tls_cipher
            cipher = backend.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'").data[0]
            assert list(cipher.values())[1]
        finally:
            backend.disconnect()

    def test_wrong_ca_is_refused(self, backend_classes, tls, tmp_path):
        import ssl

        # any valid CA that did not sign the server certificate: the system bundle's first one
        paths = ssl.get_default_verify_paths()
        wrong = paths.cafile
        if not wrong:
            pytest.skip("no system CA bundle to use as the wrong CA")
        backend = backend_classes[0](**config_kwargs(tls, ssl_ca=wrong))
        with pytest.raises(core_errors.ConnectionError):
            backend.connect()

    def test_host_name_mismatch_is_refused_unless_only_the_chain_is_checked(
        self, backend_classes, tls
    ):
        import socket

        alias = socket.gethostname()  # resolves to the server's address, not in its certificate
        if alias in ("localhost", tls["host"]) or socket.gethostbyname(alias) != tls["host"]:
            pytest.skip(
                "no host alias that resolves to the TLS server but is not in its certificate"
            )
        backend = backend_classes[0](**config_kwargs(tls, host=alias, ssl_ca=tls["tls"]["ca"]))
        with pytest.raises(core_errors.ConnectionError):
            backend.connect()
        chain_only = backend_classes[0](
            **config_kwargs(tls, host=alias, ssl_ca=tls["tls"]["ca"], ssl_mode="verify_ca")
        )
        chain_only.connect()
        try:
            assert chain_only.server_info.tls_cipher
        finally:
            chain_only.disconnect()

    def test_required_tls_against_a_plain_server_is_refused(self, backend_classes, server_kwargs):
        backend = backend_classes[0](**server_kwargs(ssl_mode="required"))
        with pytest.raises(core_errors.ConnectionError):
            backend.connect()

    async def test_async_required_tls_against_a_plain_server_is_refused_by_name(
        self, backend_classes, server_kwargs
    ):
        backend = backend_classes[1](**server_kwargs(ssl_mode="required"))
        with pytest.raises(
            core_errors.ConnectionError, match="TLS was required .* did not establish it"
        ):
            await backend.connect()
        assert backend._connection is None

    async def test_async_backend_verifies_too(self, backend_classes, tls, server_kwargs):
        good = backend_classes[1](**config_kwargs(tls, ssl_ca=tls["tls"]["ca"]))
        await good.connect()
        try:
            assert good.server_info.tls_cipher
        finally:
            await good.disconnect()
        plain = backend_classes[1](**server_kwargs())
        await plain.connect()
        try:
            assert plain.server_info.tls_cipher is None
        finally:
            await plain.disconnect()
