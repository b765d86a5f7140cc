"""Tooling of the fault suite: private servers, a loopback proxy, and what each package needs."""
