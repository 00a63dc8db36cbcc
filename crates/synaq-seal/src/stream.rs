//! HKDF helpers and the chunked AEAD (STREAM) the payload is sealed with.
//!
//! Each chunk of `CHUNK` plaintext bytes is sealed with AES-256-GCM under a nonce made of a
//! big-endian chunk counter and a last-chunk flag (as in age), so a reordered, dropped,
//! duplicated or truncated chunk fails to open.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::hkdf;

/// Plaintext bytes per chunk.
pub const CHUNK: usize = 64 * 1024;
/// AES-GCM tag bytes added to every chunk.
pub const TAG: usize = 16;

struct Len32;
impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

/// HKDF-SHA256 with a salt and one info string, to 32 bytes.
pub fn hkdf32(salt: &[u8], ikm: &[u8], info: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    hkdf::Salt::new(hkdf::HKDF_SHA256, salt)
        .extract(ikm)
        .expand(&[info], Len32)
        .expect("32 bytes is a valid HKDF-SHA256 length")
        .fill(&mut out)
        .expect("32 bytes is a valid HKDF-SHA256 length");
    out
}

/// A 32-byte value derived from a seed (for seeded test keys and vectors).
pub fn derive32(seed: &[u8], info: &[u8]) -> [u8; 32] {
    hkdf32(b"synaq seed", seed, info)
}

pub fn aes_key(key: &[u8; 32]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).expect("32-byte AES-256 key"))
}

fn nonce(counter: u64, last: bool) -> Nonce {
    let mut n = [0u8; 12];
    n[3..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = u8::from(last);
    Nonce::assume_unique_for_key(n)
}

/// The ciphertext length for `plain_len` bytes of plaintext.
pub fn sealed_len(plain_len: usize) -> usize {
    let chunks = plain_len.div_ceil(CHUNK).max(1);
    plain_len + chunks * TAG
}

/// Seals `plain` chunk by chunk, calling `progress(done, total)` after each chunk.
pub fn seal(key: &[u8; 32], plain: &[u8], progress: &mut dyn FnMut(u64, u64)) -> Vec<u8> {
    let key = aes_key(key);
    let mut out = Vec::with_capacity(sealed_len(plain.len()));
    let chunks: Vec<&[u8]> = if plain.is_empty() {
        vec![&[]]
    } else {
        plain.chunks(CHUNK).collect()
    };
    let n = chunks.len();
    for (i, chunk) in chunks.into_iter().enumerate() {
        let start = out.len();
        out.extend_from_slice(chunk);
        let tag = key
            .seal_in_place_separate_tag(
                nonce(i as u64, i + 1 == n),
                Aad::empty(),
                &mut out[start..],
            )
            .expect("chunk is within AES-GCM limits");
        out.extend_from_slice(tag.as_ref());
        progress((i + 1) as u64 * CHUNK as u64, (n * CHUNK) as u64);
    }
    out
}

/// Why a sealed payload does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    /// Chunk `n` (counting from 0) failed authentication.
    Chunk(u64),
    /// Every chunk opened but none was marked last: the payload was cut at a chunk boundary.
    Truncated,
}

/// Opens a payload sealed by [`seal`], in place, returning the plaintext.
pub fn open(key: &[u8; 32], mut sealed: Vec<u8>) -> Result<Vec<u8>, OpenError> {
    let key = aes_key(key);
    let total = sealed.len();
    let step = CHUNK + TAG;
    let mut read = 0;
    let mut write = 0;
    let mut counter = 0u64;
    loop {
        let end = (read + step).min(total);
        let last = end == total;
        if end - read < TAG {
            return Err(OpenError::Chunk(counter));
        }
        let plain_len = end - read - TAG;
        // ring leaves a chunk unspecified when its tag fails, so keep the last one (at most
        // 64 KiB) to tell a missing tail from a damaged chunk.
        let kept = last.then(|| sealed[read..end].to_vec());
        let opened = key.open_in_place(nonce(counter, last), Aad::empty(), &mut sealed[read..end]);
        if opened.is_err() {
            if kept.is_some_and(|mut c| opens_as_middle(&key, counter, &mut c)) {
                return Err(OpenError::Truncated);
            }
            return Err(OpenError::Chunk(counter));
        }
        sealed.copy_within(read..read + plain_len, write);
        write += plain_len;
        read = end;
        counter += 1;
        if last {
            break;
        }
    }
    sealed.truncate(write);
    Ok(sealed)
}

/// Whether the final chunk opens as a middle chunk: then the real last chunk is gone.
fn opens_as_middle(key: &LessSafeKey, counter: u64, chunk: &mut [u8]) -> bool {
    key.open_in_place(nonce(counter, false), Aad::empty(), chunk)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(len: usize) {
        let key = [9u8; 32];
        let plain: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let sealed = seal(&key, &plain, &mut |_, _| {});
        assert_eq!(sealed.len(), sealed_len(len));
        assert_eq!(open(&key, sealed).unwrap(), plain);
    }

    #[test]
    fn sizes_around_chunk_boundaries() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            round_trip(len);
        }
    }

    #[test]
    fn a_dropped_last_chunk_is_truncation() {
        let key = [1u8; 32];
        let plain = vec![5u8; 3 * CHUNK];
        let mut sealed = seal(&key, &plain, &mut |_, _| {});
        sealed.truncate(2 * (CHUNK + TAG));
        assert_eq!(open(&key, sealed), Err(OpenError::Truncated));
    }

    #[test]
    fn swapped_chunks_fail() {
        let key = [1u8; 32];
        let plain: Vec<u8> = (0..2 * CHUNK + 10).map(|i| i as u8).collect();
        let mut sealed = seal(&key, &plain, &mut |_, _| {});
        let (a, b) = sealed.split_at_mut(CHUNK + TAG);
        a.swap_with_slice(&mut b[..CHUNK + TAG]);
        assert_eq!(open(&key, sealed), Err(OpenError::Chunk(0)));
    }

    #[test]
    fn the_wrong_key_fails() {
        let sealed = seal(&[1u8; 32], b"hello", &mut |_, _| {});
        assert_eq!(open(&[2u8; 32], sealed), Err(OpenError::Chunk(0)));
    }
}
