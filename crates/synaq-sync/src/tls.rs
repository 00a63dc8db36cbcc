//! TLS to central with a pinned certificate.
//!
//! Central serves HTTPS with a self-signed certificate it made itself (`synaq-central serve`).
//! The kiosk gets that certificate's SHA-256 fingerprint out of band at enrollment (the
//! enrollment code sheet, or the bundle) and trusts exactly that certificate: no system roots,
//! no certificate authority, no host name check. The handshake signature is still verified
//! with the pinned certificate's key, so only the holder of central's TLS key can answer.
//!
//! rustls with the `ring` provider; reqwest gets the finished configuration.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{ring as provider, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};

use crate::SyncError;

/// The SHA-256 fingerprint of central's TLS certificate (of its DER encoding), the one
/// certificate a kiosk trusts.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CentralPin([u8; 32]);

impl CentralPin {
    /// The pin of a DER-encoded certificate.
    pub fn from_der(der: &[u8]) -> CentralPin {
        let d = ring::digest::digest(&ring::digest::SHA256, der);
        let mut b = [0u8; 32];
        b.copy_from_slice(d.as_ref());
        CentralPin(b)
    }

    /// Parses a fingerprint as central prints it (`AB:CD:…`, 32 bytes in hex); colons,
    /// spaces and case do not matter, a leading `sha256:` / `SHA256 ` is allowed.
    pub fn parse(text: &str) -> Result<CentralPin, SyncError> {
        let t = text.trim();
        let t = t
            .get(..6)
            .filter(|p| p.eq_ignore_ascii_case("sha256"))
            .map_or(t, |_| &t[6..]);
        let hex_digits: String = t
            .chars()
            .filter(|c| !matches!(c, ':' | ' ' | '-' | '='))
            .collect();
        let bytes = hex::decode(&hex_digits).ok().filter(|b| b.len() == 32);
        let Some(bytes) = bytes else {
            return Err(SyncError::Format(format!(
                "{text:?} is not a central certificate fingerprint: expected 32 bytes of hex \
                 (as `synaq-central serve` prints it)"
            )));
        };
        let mut b = [0u8; 32];
        b.copy_from_slice(&bytes);
        Ok(CentralPin(b))
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for CentralPin {
    /// `AB:CD:…` (uppercase hex, colon-separated, as `openssl x509 -fingerprint -sha256`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for CentralPin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CentralPin({self})")
    }
}

impl std::str::FromStr for CentralPin {
    type Err = SyncError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CentralPin::parse(s)
    }
}

/// Why the handshake was refused: the server showed another certificate than the pinned one.
/// Travels inside rustls' and reqwest's errors; [`wrong_central`] finds it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongCentral {
    /// The pinned fingerprint.
    pub expected: CentralPin,
    /// The fingerprint of the certificate the server presented.
    pub presented: CentralPin,
}

impl fmt::Display for WrongCentral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server's certificate {} is not the pinned central certificate {}",
            self.presented, self.expected
        )
    }
}

impl std::error::Error for WrongCentral {}

/// Trusts exactly one certificate (by fingerprint) and checks the handshake signature with it.
#[derive(Debug)]
struct PinnedVerifier {
    pin: CentralPin,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // The pin is the trust anchor: names and dates do not matter, only the exact bytes.
        // (The fingerprint is no secret: a plain comparison is fine.)
        let presented = CentralPin::from_der(end_entity);
        if presented == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(WrongCentral {
                    expected: self.pin,
                    presented,
                })),
            )))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// A rustls client configuration (ring provider, TLS 1.2 and 1.3, HTTP/1.1) that trusts only
/// the certificate pinned by `pin`.
pub fn client_config(pin: CentralPin) -> Result<rustls::ClientConfig, SyncError> {
    let provider = Arc::new(provider::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| SyncError::Format(format!("TLS configuration: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(PinnedVerifier { pin, provider }))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// An HTTPS-only reqwest client that trusts only the pinned central certificate (no system
/// roots, no proxy). The kiosk's [`crate::Client`] uses it; so can anything else that talks
/// to central (e.g. fetching a certificate's JSON).
pub fn http_client(pin: CentralPin) -> Result<reqwest::Client, SyncError> {
    reqwest::Client::builder()
        .tls_backend_preconfigured(client_config(pin)?)
        .https_only(true)
        .no_proxy()
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .map_err(|e| SyncError::Format(format!("cannot set up the HTTPS client: {e}")))
}

/// The pin mismatch inside an error from [`http_client`] (reqwest → hyper → io → rustls), if
/// that is why it failed.
pub fn wrong_central(err: &(dyn std::error::Error + 'static)) -> Option<WrongCentral> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(w) = e.downcast_ref::<WrongCentral>() {
            return Some(w.clone());
        }
        if let Some(w) = from_rustls(e) {
            return Some(w);
        }
        // `io::Error::source` skips the error it wraps: look inside explicitly.
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if let Some(w) = wrong_central(inner) {
                return Some(w);
            }
        }
        cur = e.source();
    }
    None
}

fn from_rustls(e: &(dyn std::error::Error + 'static)) -> Option<WrongCentral> {
    match e.downcast_ref::<rustls::Error>()? {
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(o))) => {
            o.downcast_ref::<WrongCentral>().cloned()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_print_and_parse_back() {
        let p = CentralPin::from_der(b"not really a certificate");
        let s = p.to_string();
        assert_eq!(s.len(), 32 * 3 - 1);
        assert_eq!(CentralPin::parse(&s).unwrap(), p);
        assert_eq!(
            CentralPin::parse(&format!("SHA256 {}", s.to_lowercase())).unwrap(),
            p
        );
        assert_eq!(
            CentralPin::parse(&hex::encode(p.as_bytes())).unwrap(),
            p,
            "plain hex"
        );
        assert!(CentralPin::parse("AB:CD").is_err());
        assert!(CentralPin::parse("").is_err());
    }
}
