"""Figures for official correspondence (issue 4, Performance): letter PDF, PAdES, EYP.

A throw-away test PKI (root → intermediate → signer, RSA-2048) is made here with
``cryptography``; nothing secret is committed. Each figure is the median of several runs
after one warm-up (fonts, schemas and pyHanko imports are loaded once per process).
"""

import datetime
import statistics
import time


def _median_ms(fn, repeat=9):
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return round(statistics.median(samples) * 1000, 1)


def _pki():
    """(root, intermediate, signer) as (key, certificate) pairs."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def issue(cn, issuer=None, *, ca, serial=""):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        attrs = [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Karasu Belediyesi Bench"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
        if serial:
            attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
        subject = x509.Name(attrs)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer[1].subject if issuer else subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=not ca,
                    content_commitment=not ca,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=ca,
                    crl_sign=ca,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
        )
        if issuer:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer[0].public_key()),
                critical=False,
            )
        return key, builder.sign(issuer[0] if issuer else key, hashes.SHA256())

    root = issue("Bench Kök SM", ca=True)
    interm = issue("Bench Ara SM", root, ca=True)
    signer = issue("Ayşe Yılmaz", interm, ca=False, serial="TCKN12345678950")
    return root, interm, signer


def _b_lt_setup(root, interm, signer_pair):
    """A time-stamping authority, the two CRLs, and the signer's certificate naming a CRL
    distribution point (so its revocation is checked and embedded), same key."""
    from asn1crypto import crl as asn1_crl
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from bilgiislem.correspondence.signing import file_signer

    now = datetime.datetime.now(datetime.UTC)

    def cert(subject, issuer, key, *, extensions):
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer[1].subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
        )
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(issuer[0], hashes.SHA256())

    def crl(issuer):
        built = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer[1].subject)
            .last_update(now - datetime.timedelta(hours=1))
            .next_update(now + datetime.timedelta(days=7))
            .sign(issuer[0], hashes.SHA256())
        )
        return asn1_crl.CertificateList.load(built.public_bytes(serialization.Encoding.DER))

    def point(name):
        uri = x509.UniformResourceIdentifier(f"http://crl.bench.test/{name}.crl")
        return x509.CRLDistributionPoints([x509.DistributionPoint([uri], None, None, None)])

    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench Zaman Damgası")])
    tsa_cert = cert(
        tsa_name,
        root,
        tsa_key,
        extensions=[
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
            (point("kok"), False),
        ],
    )
    stamp = file_signer(_pem(key=tsa_key), _pem(cert=tsa_cert))
    tsa = DummyTimeStamper(tsa_cert=stamp.signing_cert, tsa_key=stamp.signing_key)
    key, old = signer_pair
    usage = old.extensions.get_extension_for_class(x509.KeyUsage).value
    signer_cert = cert(old.subject, interm, key, extensions=[(usage, True), (point("ara"), False)])
    chain = [_pem(cert=interm[1]), _pem(cert=root[1])]
    return tsa, [crl(root), crl(interm)], file_signer(_pem(key=key), _pem(cert=signer_cert), chain)


def _pem(key=None, cert=None) -> bytes:
    from cryptography.hazmat.primitives import serialization

    if key is not None:
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    return cert.public_bytes(serialization.Encoding.PEM)


def run():
    from bilgiislem.correspondence.eyp_export import build_package
    from bilgiislem.correspondence.letter_pdf import render_letter
    from bilgiislem.correspondence.signing import file_signer, sign_pdf, verify_pdf
    from bilgiislem.correspondence.tests.letters import sample_letter
    from bilgiislem.correspondence.tests.test_eyp_export import sample_spec

    letter = sample_letter(paragraphs=6)  # two pages
    yield "correspondence.render_ms", _median_ms(lambda: render_letter(letter)), "ms"

    root, interm, signer_pair = _pki()
    chain = [_pem(cert=interm[1]), _pem(cert=root[1])]
    signer = file_signer(_pem(key=signer_pair[0]), _pem(cert=signer_pair[1]), chain)
    pdf = render_letter(letter)
    signed = sign_pdf(pdf, signer, reason="Onay", location="Karasu")
    yield "correspondence.sign_ms", _median_ms(lambda: sign_pdf(pdf, signer)), "ms"

    roots = [_pem(cert=root[1])]
    result = verify_pdf(signed, roots)
    assert result.ok, result.reason
    yield "correspondence.validate_ms", _median_ms(lambda: verify_pdf(signed, roots)), "ms"

    # B-LT (ADR 0013): time-stamp from an in-process TSA, chain and CRLs embedded.
    tsa, crls, blt_signer = _b_lt_setup(root, interm, signer_pair)
    blt = lambda: sign_pdf(  # noqa: E731
        pdf, blt_signer, level="B-LT", timestamper=tsa, trust_roots=roots, crls=crls
    )
    assert verify_pdf(blt(), roots, revocation_mode="hard-fail", configured_crls=False).ok
    yield "correspondence.sign_blt_ms", _median_ms(blt), "ms"

    # Three annexes (a file, an external reference, a physical object); build includes the
    # two CAdES signatures, the XSD validation of every XML part and the importer's check.
    spec = sample_spec(pdf)
    yield (
        "correspondence.eyp_ms",
        _median_ms(lambda: build_package(spec, signer=signer)),
        "ms",
    )
