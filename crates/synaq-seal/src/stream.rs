//! HKDF helpers and the chunked AEAD (STREAM) the payload is sealed with.
//!
//! Each chunk of `CHUNK` plaintext bytes is sealed with AES-256-GCM under a nonce made of a
//! big-endian chunk counter and a last-chunk flag (as in age), so a reordered, dropped,
//! duplicated or truncated chunk fails to open.

use ring::aead::{Aad, LessSafeKey, Nonce, Tag, UnboundKey, AES_256_GCM};
use ring::hkdf;
use zeroize::Zeroize as _;

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

/// Below this many chunks a payload is opened on the calling thread only.
const PARALLEL_FROM: usize = 16;

/// Opens a payload sealed by [`seal`] into a new buffer, returning the plaintext.
///
/// Each chunk's ciphertext is copied once, into its place in the output, and opened there with
/// its tag (no second pass to close the gaps the tags leave). Large payloads are opened on
/// every available core: chunks are independent. The error is always the one for the first
/// chunk (lowest counter) that fails, as if the chunks were opened in order.
pub fn open(key: &[u8; 32], sealed: &[u8]) -> Result<Vec<u8>, OpenError> {
    let key = aes_key(key);
    let step = CHUNK + TAG;
    let n = sealed.len().div_ceil(step).max(1);
    let last_start = (n - 1) * step;
    if sealed.len() - last_start < TAG {
        // The last chunk cannot even hold a tag; an earlier damaged chunk still comes first.
        let full = &sealed[..last_start];
        let mut scratch = vec![0u8; full.len() - (n - 1) * TAG];
        let earlier = open_chunks(&key, full, &mut scratch, false);
        scratch.zeroize();
        return Err(OpenError::Chunk(earlier.unwrap_or(n as u64 - 1)));
    }
    let mut out = vec![0u8; sealed.len() - n * TAG];
    match open_chunks(&key, sealed, &mut out, true) {
        None => Ok(out),
        Some(failed) => {
            out.zeroize();
            let last = failed == n as u64 - 1;
            if last && opens_as_middle(&key, failed, &mut sealed[last_start..].to_vec()) {
                return Err(OpenError::Truncated);
            }
            Err(OpenError::Chunk(failed))
        }
    }
}

/// Opens every chunk of `sealed` into its place in `out` (`sealed.len()` less one tag per
/// chunk); the last chunk is flagged last when `ends_stream`. Returns the counter of the first
/// chunk that fails.
fn open_chunks(key: &LessSafeKey, sealed: &[u8], out: &mut [u8], ends_stream: bool) -> Option<u64> {
    let inputs: Vec<&[u8]> = sealed.chunks(CHUNK + TAG).collect();
    let n = inputs.len();
    let mut outputs: Vec<&mut [u8]> = out.chunks_mut(CHUNK).collect();
    // An empty final chunk has no room in `out`.
    outputs.resize_with(n, Default::default);
    let mut jobs: Vec<(u64, &[u8], &mut [u8])> = inputs
        .into_iter()
        .zip(outputs)
        .enumerate()
        .map(|(i, (input, output))| (i as u64, input, output))
        .collect();
    let final_chunk = if ends_stream { n as u64 - 1 } else { u64::MAX };
    let open_all = |jobs: &mut [(u64, &[u8], &mut [u8])]| -> Option<u64> {
        jobs.iter_mut().find_map(|(i, input, output)| {
            let (ciphertext, tag) = input.split_at(input.len() - TAG);
            output.copy_from_slice(ciphertext);
            let tag = Tag::try_from(tag).expect("TAG bytes");
            let nonce = nonce(*i, *i == final_chunk);
            key.open_in_place_separate_tag(nonce, Aad::empty(), tag, output, 0..)
                .is_err()
                .then_some(*i)
        })
    };
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    if n < PARALLEL_FROM || threads == 1 {
        return open_all(&mut jobs);
    }
    let per_thread = n.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks_mut(per_thread)
            .map(|group| s.spawn(|| open_all(group)))
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().expect("opening a chunk does not panic"))
            .min()
    })
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
        assert_eq!(open(&key, &sealed).unwrap(), plain);
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
        assert_eq!(open(&key, &sealed), Err(OpenError::Truncated));
    }

    #[test]
    fn swapped_chunks_fail() {
        let key = [1u8; 32];
        let plain: Vec<u8> = (0..2 * CHUNK + 10).map(|i| i as u8).collect();
        let mut sealed = seal(&key, &plain, &mut |_, _| {});
        let (a, b) = sealed.split_at_mut(CHUNK + TAG);
        a.swap_with_slice(&mut b[..CHUNK + TAG]);
        assert_eq!(open(&key, &sealed), Err(OpenError::Chunk(0)));
    }

    #[test]
    fn the_wrong_key_fails() {
        let sealed = seal(&[1u8; 32], b"hello", &mut |_, _| {});
        assert_eq!(open(&[2u8; 32], &sealed), Err(OpenError::Chunk(0)));
    }

    /// Enough chunks to be opened on several threads.
    const MANY: usize = 2 * PARALLEL_FROM + 3;

    #[test]
    fn large_payloads_open_in_parallel_with_the_same_results() {
        for len in [MANY * CHUNK, MANY * CHUNK + 1, MANY * CHUNK - 1] {
            round_trip(len);
        }
    }

    #[test]
    fn the_first_damaged_chunk_is_reported_whichever_thread_finds_it() {
        let key = [3u8; 32];
        let plain: Vec<u8> = (0..MANY * CHUNK + 99).map(|i| (i % 13) as u8).collect();
        let sealed = seal(&key, &plain, &mut |_, _| {});
        let at = |chunk: usize| chunk * (CHUNK + TAG) + 17;
        for damaged in [
            vec![MANY - 1],
            vec![MANY - 3, 2],
            vec![MANY, 1],
            vec![0, MANY],
        ] {
            let mut copy = sealed.clone();
            for &c in &damaged {
                copy[at(c)] ^= 0x20;
            }
            let first = *damaged.iter().min().unwrap() as u64;
            assert_eq!(
                open(&key, &copy),
                Err(OpenError::Chunk(first)),
                "{damaged:?}"
            );
        }
        // Cut at a chunk boundary: truncation; cut inside a tag: the cut chunk is damaged.
        let step = CHUNK + TAG;
        assert_eq!(
            open(&key, &sealed[..MANY * step]),
            Err(OpenError::Truncated)
        );
        assert_eq!(
            open(&key, &sealed[..MANY * step + 5]),
            Err(OpenError::Chunk(MANY as u64))
        );
        // A cut inside a tag after a damaged chunk still reports the damaged chunk first.
        let mut copy = sealed[..MANY * step + 5].to_vec();
        copy[at(7)] ^= 1;
        assert_eq!(open(&key, &copy), Err(OpenError::Chunk(7)));
    }
}
