//! The plaintext inside a bank: a tiny length-prefixed container of named entries.
//!
//! `SYNAQCNT` · version u8 · entries, each `kind u8 · name_len u16 LE · name · len u64 LE · data`.
//! Kinds: 1 profile (TOML), 2 questions (JSON array), 3 media file. Bounds are checked on every
//! read; a malformed container is an error, never a panic.

pub const MAGIC: &[u8; 8] = b"SYNAQCNT";
pub const VERSION: u8 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Profile = 1,
    Questions = 2,
    Media = 3,
}

pub fn write(entries: &[(Kind, &str, &[u8])]) -> Vec<u8> {
    let size: usize = entries.iter().map(|(_, n, d)| 11 + n.len() + d.len()).sum();
    let mut out = Vec::with_capacity(9 + size);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    for (kind, name, data) in entries {
        out.push(*kind as u8);
        let name_len = u16::try_from(name.len()).expect("entry names are short");
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        out.extend_from_slice(data);
    }
    out
}

/// One entry, borrowed from the container.
pub struct Entry<'a> {
    pub kind: Kind,
    pub name: &'a str,
    pub data: &'a [u8],
}

pub fn read(buf: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    let rest = buf
        .strip_prefix(MAGIC.as_slice())
        .ok_or("content does not start with SYNAQCNT")?;
    let (&version, mut rest) = rest.split_first().ok_or("content has no version")?;
    if version != VERSION {
        return Err(format!("content version {version} is not supported"));
    }
    let mut entries = Vec::new();
    while !rest.is_empty() {
        let take = |rest: &mut &'_ [u8], n: usize, what: &str| -> Result<(), String> {
            if rest.len() < n {
                Err(format!(
                    "content entry {} is cut short in its {what}",
                    entries.len()
                ))
            } else {
                Ok(())
            }
        };
        take(&mut rest, 3, "header")?;
        let kind = match rest[0] {
            1 => Kind::Profile,
            2 => Kind::Questions,
            3 => Kind::Media,
            k => return Err(format!("content entry of unknown kind {k}")),
        };
        let name_len = usize::from(u16::from_le_bytes([rest[1], rest[2]]));
        rest = &rest[3..];
        take(&mut rest, name_len + 8, "name")?;
        let name = std::str::from_utf8(&rest[..name_len]).map_err(|_| "entry name is not UTF-8")?;
        let len = u64::from_le_bytes(rest[name_len..name_len + 8].try_into().expect("8 bytes"));
        rest = &rest[name_len + 8..];
        let len = usize::try_from(len).map_err(|_| "entry too large")?;
        take(&mut rest, len, "data")?;
        let (data, tail) = rest.split_at(len);
        entries.push(Entry { kind, name, data });
        rest = tail;
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_cut_is_an_error() {
        let buf = write(&[
            (Kind::Profile, "profile.toml", b"id = 1"),
            (Kind::Media, "media/a.png", &[1, 2, 3]),
        ]);
        let e = read(&buf).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].name, "media/a.png");
        assert_eq!(e[1].data, &[1, 2, 3]);
        for cut in 0..buf.len() {
            // Cuts at an entry boundary leave a shorter valid container; others must fail.
            let boundaries = [9, 9 + 11 + 12 + 6];
            if !boundaries.contains(&cut) {
                assert!(read(&buf[..cut]).is_err(), "cut at {cut}");
            }
        }
    }
}
