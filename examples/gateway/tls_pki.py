# SPDX-License-Identifier: MIT
"""Certificates for the gateway's TLS uplink, made with the openssl command
(what demo.py --tls and tests/tls use; nothing here is kept after a run).

    pki = Pki(directory)            # a CA: ca.pem / ca.key (ECDSA P-256)
    pki.server("srv", "broker.vthread.test")          # srv.pem, srv.key, signed by the CA
    pki.server("rsa", "broker.vthread.test", rsa=True)  # RSA 2048 key
    pki.server("old", ..., expired=True)              # validity ended a year ago
    pki.client("client", "vthread-gateway")           # client.pem, client.key
    other = Pki(dir2, "another CA")                   # a CA nobody trusts
"""
import os
import subprocess


def _run(args, cwd):
    r = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)}: {r.stderr.strip()}")


class Pki:
    def __init__(self, directory, name="vthread test CA", prefix="ca"):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        self.ca = os.path.join(directory, f"{prefix}.pem")
        self.ca_key = os.path.join(directory, f"{prefix}.key")
        self.prefix = prefix
        _run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", self.ca_key], directory)
        _run(["req", "-x509", "-new", "-key", self.ca_key, "-sha256", "-days", "3650",
              "-subj", f"/CN={name}", "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", self.ca], directory)
        # `openssl ca` (for chosen validity dates) wants a database
        with open(os.path.join(directory, f"{prefix}.cnf"), "w") as f:
            f.write(f"[ca]\ndefault_ca = d\n[d]\ndatabase = {prefix}.index\nnew_certs_dir = .\n"
                    f"serial = {prefix}.serial\npolicy = p\ndefault_md = sha256\n"
                    "unique_subject = no\ncopy_extensions = none\n[p]\ncommonName = supplied\n")
        open(os.path.join(directory, f"{prefix}.index"), "w").close()
        with open(os.path.join(directory, f"{prefix}.serial"), "w") as f:
            f.write("1000\n")

    def _issue(self, name, cn, ext, rsa=False, expired=False):
        key = os.path.join(self.dir, f"{name}.key")
        csr = os.path.join(self.dir, f"{name}.csr")
        pem = os.path.join(self.dir, f"{name}.pem")
        if rsa:
            _run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key],
                 self.dir)
        else:
            _run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key], self.dir)
        _run(["req", "-new", "-key", key, "-subj", f"/CN={cn}", "-out", csr], self.dir)
        extfile = os.path.join(self.dir, f"{name}.ext")
        with open(extfile, "w") as f:
            f.write(ext)
        if expired:
            dates = ["-startdate", "20240101000000Z", "-enddate", "20250101000000Z"]
        else:
            dates = ["-days", "30"]
        _run(["ca", "-batch", "-config", f"{self.prefix}.cnf", "-cert", self.ca, "-keyfile",
              self.ca_key, "-in", csr, "-out", pem, "-extfile", extfile, "-notext", *dates], self.dir)
        return pem, key

    def server(self, name, host, rsa=False, expired=False):
        """A broker certificate for DNS name @p host."""
        return self._issue(name, host, f"subjectAltName=DNS:{host}\nextendedKeyUsage=serverAuth\n"
                                       "basicConstraints=CA:FALSE\n", rsa, expired)

    def client(self, name, cn):
        """A client certificate (ECDSA P-256)."""
        return self._issue(name, cn, "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n")


def mosquitto_tls_listener(port, ca, cert, key, require_client_cert=True):
    """Mosquitto configuration lines: a TLS 1.2 listener on 127.0.0.1."""
    return (f"listener {port} 127.0.0.1\ncafile {ca}\ncertfile {cert}\nkeyfile {key}\n"
            f"tls_version tlsv1.2\nrequire_certificate {'true' if require_client_cert else 'false'}\n")
