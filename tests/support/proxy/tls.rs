//! The proxy as s3cp's HTTPS proxy (`HTTPS_PROXY`): s3cp, with the SDK's
//! real endpoint rules and no `--endpoint-url`, asks for
//! `https://HOST/...` on AWS's hosts (an access point's, a Multi-Region
//! Access Point's, a directory bucket's zonal endpoint); its client opens a
//! `CONNECT HOST:443` tunnel through the proxy, and the proxy ends the TLS
//! itself with a certificate for HOST made on the spot and signed by a test
//! CA. s3cp trusts that CA through the standard variable `SSL_CERT_FILE`
//! (the SDK's rustls client loads its roots with rustls-native-certs, which
//! reads it), so nothing in s3cp changes for the test: what the proxy
//! records (host, path, headers, signature) is what AWS would receive.
//!
//! The CA is made once per test process, its certificate written under
//! Cargo's `CARGO_TARGET_TMPDIR`; each host's certificate (ECDSA P-256,
//! the CA's chain) is made once and kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// The test CA and the acceptors made with it, by host.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
    file: PathBuf,
    acceptors: Mutex<HashMap<String, TlsAcceptor>>,
}

static CA: OnceLock<TestCa> = OnceLock::new();

/// This process's test CA, made on first use.
pub fn ca() -> &'static TestCa {
    CA.get_or_init(TestCa::new)
}

impl TestCa {
    fn new() -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "s3cp test CA");
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().expect("the test CA's key");
        let issuer = CertifiedIssuer::self_signed(params, key).expect("the test CA");
        let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("s3cp-test-ca-{}.pem", std::process::id()));
        std::fs::write(&file, issuer.pem())
            .unwrap_or_else(|e| panic!("cannot write the test CA to {}: {e}", file.display()));
        TestCa {
            issuer,
            file,
            acceptors: Mutex::default(),
        }
    }

    /// The CA's certificate (PEM), for `SSL_CERT_FILE`.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// A TLS acceptor presenting a certificate for `host`.
    pub fn acceptor(&self, host: &str) -> TlsAcceptor {
        let mut acceptors = self.acceptors.lock().unwrap();
        if let Some(a) = acceptors.get(host) {
            return a.clone();
        }
        let key = KeyPair::generate().expect("a host key");
        let mut params =
            CertificateParams::new(vec![host.to_owned()]).expect("a host's certificate");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.distinguished_name.push(DnType::CommonName, host);
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("the host's certificate signed");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone(), self.issuer.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .expect("a TLS server configuration");
        // No ALPN: the client speaks HTTP/1.1, which the proxy reads.
        let acceptor = TlsAcceptor::from(Arc::new(config));
        acceptors.insert(host.to_owned(), acceptor.clone());
        acceptor
    }
}
