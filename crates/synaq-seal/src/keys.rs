//! Key pairs and their files.
//!
//! - The **issuer** (ЕУМЦ) signs banks with Ed25519 and keeps an X25519 key so it can rewrap a
//!   bank's content key for a kiosk enrolled later (`add-recipient`) without re-encrypting.
//! - A **kiosk** opens banks with its X25519 key and will sign results with its Ed25519 key.
//!
//! Files are small TOML documents with a `kind` line, so a key given in the wrong place is
//! named as such. A key id is the first 8 bytes of SHA-256 over the public keys.

use std::fmt;
use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair as _};
use serde::{Deserialize, Serialize};
use x25519_dalek::{PublicKey as XPublic, StaticSecret};
use zeroize::Zeroizing;

/// The first 8 bytes of SHA-256 over a key's public parts, shown as 16 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    fn of(label: &[u8], parts: &[&[u8]]) -> KeyId {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        ctx.update(label);
        for p in parts {
            ctx.update(p);
        }
        let d = ctx.finish();
        KeyId(d.as_ref()[..8].try_into().expect("SHA-256 has 32 bytes"))
    }

    /// Parses 16 hex digits.
    pub fn from_hex(s: &str) -> Option<KeyId> {
        let v = hex::decode(s).ok()?;
        Some(KeyId(v.try_into().ok()?))
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// Why a key file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Reading or writing the file failed.
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The file is not a Synaq key file.
    #[error("not a Synaq key file: {0}")]
    Syntax(String),
    /// A key file of another kind (a public key where a secret is needed, an issuer key for a kiosk…).
    #[error("this is a {found} file, but a {expected} is needed")]
    WrongKind {
        expected: &'static str,
        found: String,
    },
    /// A field is not valid base64 or has the wrong length.
    #[error("field {0} is damaged")]
    BadField(&'static str),
    /// The id written in the file does not match its keys: the file was edited or damaged.
    #[error("the key id in the file ({written}) does not match its keys ({actual}): the file is damaged")]
    IdMismatch { written: String, actual: String },
    /// The system random generator failed.
    #[error("the system random generator failed")]
    Random,
}

const ISSUER_SECRET: &str = "synaq-issuer-secret-v1";
const ISSUER_PUBLIC: &str = "synaq-issuer-public-v1";
const KIOSK_SECRET: &str = "synaq-kiosk-secret-v1";
const KIOSK_PUBLIC: &str = "synaq-kiosk-public-v1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    kind: String,
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x25519: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ed25519: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x25519_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ed25519_pkcs8: Option<String>,
}

impl KeyFile {
    fn parse(src: &str, expected: &'static str) -> Result<KeyFile, KeyError> {
        let f: KeyFile =
            toml::from_str(src).map_err(|e| KeyError::Syntax(e.message().to_owned()))?;
        if f.kind != expected {
            return Err(KeyError::WrongKind {
                expected,
                found: f.kind,
            });
        }
        Ok(f)
    }

    fn bytes(field: &Option<String>, name: &'static str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let s = field.as_deref().ok_or(KeyError::BadField(name))?;
        Ok(Zeroizing::new(
            B64.decode(s).map_err(|_| KeyError::BadField(name))?,
        ))
    }

    fn array32(field: &Option<String>, name: &'static str) -> Result<[u8; 32], KeyError> {
        let v = Self::bytes(field, name)?;
        v.as_slice()
            .try_into()
            .map_err(|_| KeyError::BadField(name))
    }

    fn check_id(&self, actual: KeyId) -> Result<(), KeyError> {
        if self.id != actual.to_string() {
            return Err(KeyError::IdMismatch {
                written: self.id.clone(),
                actual: actual.to_string(),
            });
        }
        Ok(())
    }

    fn render(&self, comment: &str) -> String {
        format!(
            "# {comment}\n{}",
            toml::to_string(self).expect("key files serialize")
        )
    }
}

fn random32(rng: &SystemRandom) -> Result<[u8; 32], KeyError> {
    let mut b = [0u8; 32];
    rng.fill(&mut b).map_err(|_| KeyError::Random)?;
    Ok(b)
}

fn ed25519_from_pkcs8(pkcs8: &[u8]) -> Result<Ed25519KeyPair, KeyError> {
    Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|_| KeyError::BadField("ed25519_pkcs8"))
}

fn ed25519_generate(rng: &SystemRandom) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    Ed25519KeyPair::generate_pkcs8(rng)
        .map(|d| Zeroizing::new(d.as_ref().to_vec()))
        .map_err(|_| KeyError::Random)
}

/// Both key pairs of one party: Ed25519 (signing) and X25519 (key agreement).
struct Pair {
    ed: Ed25519KeyPair,
    ed_pkcs8: Zeroizing<Vec<u8>>,
    x: StaticSecret,
}

impl Pair {
    fn generate() -> Result<Pair, KeyError> {
        let rng = SystemRandom::new();
        Pair::from_parts(ed25519_generate(&rng)?, random32(&rng)?)
    }

    fn from_parts(ed_pkcs8: Zeroizing<Vec<u8>>, x: [u8; 32]) -> Result<Pair, KeyError> {
        Ok(Pair {
            ed: ed25519_from_pkcs8(&ed_pkcs8)?,
            ed_pkcs8,
            x: StaticSecret::from(x),
        })
    }

    fn from_file(f: &KeyFile) -> Result<Pair, KeyError> {
        Pair::from_parts(
            KeyFile::bytes(&f.ed25519_pkcs8, "ed25519_pkcs8")?,
            KeyFile::array32(&f.x25519_secret, "x25519_secret")?,
        )
    }

    fn public(&self) -> ([u8; 32], [u8; 32]) {
        let ed: [u8; 32] = self
            .ed
            .public_key()
            .as_ref()
            .try_into()
            .expect("Ed25519 public keys have 32 bytes");
        (ed, XPublic::from(&self.x).to_bytes())
    }

    fn secret_file(&self, kind: &str, id: KeyId) -> KeyFile {
        KeyFile {
            kind: kind.to_owned(),
            id: id.to_string(),
            x25519: None,
            ed25519: None,
            x25519_secret: Some(B64.encode(self.x.to_bytes())),
            ed25519_pkcs8: Some(B64.encode(&*self.ed_pkcs8)),
        }
    }
}

fn public_file(kind: &str, id: KeyId, ed: &[u8; 32], x: &[u8; 32]) -> KeyFile {
    KeyFile {
        kind: kind.to_owned(),
        id: id.to_string(),
        x25519: Some(B64.encode(x)),
        ed25519: Some(B64.encode(ed)),
        x25519_secret: None,
        ed25519_pkcs8: None,
    }
}

macro_rules! public_key_type {
    ($name:ident, $kind:expr, $label:expr, $comment:expr) => {
        /// Public keys: Ed25519 (verify) and X25519 (wrap to).
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name {
            pub ed25519: [u8; 32],
            pub x25519: [u8; 32],
        }

        impl $name {
            pub fn id(&self) -> KeyId {
                KeyId::of($label, &[&self.ed25519, &self.x25519])
            }

            pub fn from_toml(src: &str) -> Result<$name, KeyError> {
                let f = KeyFile::parse(src, $kind)?;
                let k = $name {
                    ed25519: KeyFile::array32(&f.ed25519, "ed25519")?,
                    x25519: KeyFile::array32(&f.x25519, "x25519")?,
                };
                f.check_id(k.id())?;
                Ok(k)
            }

            pub fn to_toml(&self) -> String {
                public_file($kind, self.id(), &self.ed25519, &self.x25519).render($comment)
            }

            pub fn load(path: &Path) -> Result<$name, KeyError> {
                $name::from_toml(&read(path)?)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.id())
            }
        }
    };
}

public_key_type!(
    IssuerPublic,
    ISSUER_PUBLIC,
    b"synaq issuer",
    "Synaq issuer (ЕУМЦ) public key: kiosks trust banks signed by it."
);
public_key_type!(
    KioskPublic,
    KIOSK_PUBLIC,
    b"synaq kiosk",
    "Synaq kiosk public key: give it to ЕУМЦ to be added to banks."
);

macro_rules! secret_key_type {
    ($name:ident, $public:ident, $kind:expr, $comment:expr) => {
        /// A secret key pair. Never logged: `Debug` shows the id only.
        pub struct $name(Pair);

        impl $name {
            /// A new random key pair.
            pub fn generate() -> Result<$name, KeyError> {
                Ok($name(Pair::generate()?))
            }

            pub fn public(&self) -> $public {
                let (ed25519, x25519) = self.0.public();
                $public { ed25519, x25519 }
            }

            pub fn id(&self) -> KeyId {
                self.public().id()
            }

            pub fn from_toml(src: &str) -> Result<$name, KeyError> {
                let f = KeyFile::parse(src, $kind)?;
                let k = $name(Pair::from_file(&f)?);
                f.check_id(k.id())?;
                Ok(k)
            }

            pub fn to_toml(&self) -> Zeroizing<String> {
                Zeroizing::new(self.0.secret_file($kind, self.id()).render($comment))
            }

            pub fn load(path: &Path) -> Result<$name, KeyError> {
                $name::from_toml(&Zeroizing::new(read(path)?))
            }

            pub(crate) fn x25519(&self) -> &StaticSecret {
                &self.0.x
            }

            /// The Ed25519 signing key (banks for the issuer, results for a kiosk).
            pub fn ed25519(&self) -> &Ed25519KeyPair {
                &self.0.ed
            }

            /// Builds a key pair from fixed secrets (golden test vectors only).
            #[doc(hidden)]
            pub fn from_seed(seed: &[u8; 32]) -> $name {
                let pkcs8 = ed25519_pkcs8_from_seed(seed);
                let x = crate::stream::derive32(seed, b"x25519 from seed");
                $name(Pair::from_parts(pkcs8, x).expect("seeded keys are valid"))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.id())
            }
        }
    };
}

secret_key_type!(
    IssuerSecret,
    IssuerPublic,
    ISSUER_SECRET,
    "Synaq issuer (ЕУМЦ) SECRET key. Keep offline; never copy to a kiosk."
);
secret_key_type!(
    KioskSecret,
    KioskPublic,
    KIOSK_SECRET,
    "Synaq kiosk SECRET key. Stays on this kiosk (mode 0600)."
);

/// A PKCS#8 v2 document for an Ed25519 seed, the form ring reads back with its public key.
fn ed25519_pkcs8_from_seed(seed: &[u8; 32]) -> Zeroizing<Vec<u8>> {
    let pair = Ed25519KeyPair::from_seed_unchecked(seed).expect("any 32 bytes are a seed");
    // RFC 5958 OneAsymmetricKey v2 with the public key, the layout ring itself writes.
    let mut v = vec![
        0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    v.extend_from_slice(seed);
    v.extend_from_slice(&[0xa1, 0x23, 0x03, 0x21, 0x00]);
    v.extend_from_slice(pair.public_key().as_ref());
    Zeroizing::new(v)
}

fn read(path: &Path) -> Result<String, KeyError> {
    std::fs::read_to_string(path).map_err(|source| KeyError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Writes a secret key file readable by its owner only (mode 0600), refusing to overwrite
/// (an existing file is an [`std::io::ErrorKind::AlreadyExists`] error). The key is written
/// whole and flushed under `NAME.new.<pid>`, then linked into place ([`crate::fs`]), so a crash
/// never leaves half a key.
pub fn write_secret(path: &Path, contents: &str) -> Result<(), KeyError> {
    let mut temp = path.file_name().unwrap_or_default().to_os_string();
    temp.push(format!(".new.{}", std::process::id()));
    let options = crate::fs::WriteOptions {
        temp: Some(path.with_file_name(temp)),
        mode: Some(0o600),
        create_new: true,
    };
    crate::fs::write_atomic_with(path, contents.as_bytes(), &options).map_err(|source| {
        KeyError::Io {
            path: path.display().to_string(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_their_files() {
        let k = KioskSecret::generate().unwrap();
        let back = KioskSecret::from_toml(&k.to_toml()).unwrap();
        assert_eq!(back.public(), k.public());
        let p = KioskPublic::from_toml(&k.public().to_toml()).unwrap();
        assert_eq!(p, k.public());
        let i = IssuerSecret::generate().unwrap();
        assert_eq!(
            IssuerPublic::from_toml(&i.public().to_toml()).unwrap(),
            i.public()
        );
    }

    #[test]
    fn a_key_in_the_wrong_place_is_named() {
        let k = KioskSecret::generate().unwrap();
        let err = IssuerSecret::from_toml(&k.to_toml()).unwrap_err();
        assert!(
            err.to_string()
                .contains("synaq-kiosk-secret-v1 file, but a synaq-issuer-secret-v1"),
            "{err}"
        );
        let err = KioskSecret::from_toml(&k.public().to_toml()).unwrap_err();
        assert!(matches!(err, KeyError::WrongKind { .. }));
    }

    #[test]
    fn an_edited_key_file_is_refused() {
        let a = KioskSecret::generate().unwrap();
        let b = KioskSecret::generate().unwrap();
        // a's id with b's keys: the file was tampered with.
        let forged = b
            .to_toml()
            .replace(&b.id().to_string(), &a.id().to_string());
        assert!(matches!(
            KioskSecret::from_toml(&forged),
            Err(KeyError::IdMismatch { .. })
        ));
    }

    #[test]
    fn secret_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.key");
        write_secret(&path, "x").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(write_secret(&path, "y").is_err(), "never overwrites a key");
        assert!(
            matches!(write_secret(&path, "y"), Err(KeyError::Io { source, .. }) if source.kind() == std::io::ErrorKind::AlreadyExists)
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "x");
    }

    #[test]
    fn seeded_keys_are_stable() {
        let a = KioskSecret::from_seed(&[7; 32]);
        let b = KioskSecret::from_seed(&[7; 32]);
        assert_eq!(a.public(), b.public());
        assert_eq!(KioskSecret::from_toml(&a.to_toml()).unwrap().id(), a.id());
    }

    #[test]
    fn debug_never_shows_secrets() {
        let k = IssuerSecret::generate().unwrap();
        let d = format!("{k:?}");
        assert_eq!(d, format!("IssuerSecret({})", k.id()));
    }
}
