"""TLS contract: plain by default, verification enforced when asked (needs the TLS server)."""

from __future__ import annotations

import pytest

from rhosocial.activerecord.backend import errors as core_errors

from .servers import config_kwargs


class TLSContract:
    def test_plain_server_without_tls_settings_connects_in_plain_text(self, backend_classes, server_kwargs):
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

    def test_host_name_mismatch_is_refused_unless_only_the_chain_is_checked(self, backend_classes, tls):
        import socket
        alias = socket.gethostname()  # resolves to the server's address, not in its certificate
        if alias in ("localhost", tls["host"]) or socket.gethostbyname(alias) != tls["host"]:
            pytest.skip("no host alias that resolves to the TLS server but is not in its certificate")
        backend = backend_classes[0](**config_kwargs(tls, host=alias, ssl_ca=tls["tls"]["ca"]))
        with pytest.raises(core_errors.ConnectionError):
            backend.connect()
        chain_only = backend_classes[0](**config_kwargs(tls, host=alias, ssl_ca=tls["tls"]["ca"], ssl_mode="verify_ca"))
        chain_only.connect()
        try:
            assert chain_only.server_info.tls_cipher
        finally:
            chain_only.disconnect()

    def test_required_tls_against_a_plain_server_is_refused(self, backend_classes, server_kwargs):
        backend = backend_classes[0](**server_kwargs(ssl_mode="required"))
        with pytest.raises(core_errors.ConnectionError):
            backend.connect()

    async def test_async_required_tls_against_a_plain_server_is_refused_by_name(self, backend_classes, server_kwargs):
        backend = backend_classes[1](**server_kwargs(ssl_mode="required"))
        with pytest.raises(core_errors.ConnectionError, match="TLS was required .* did not establish it"):
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
