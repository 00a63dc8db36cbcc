//! The signed roster, end to end: build, open, find, and every way to refuse one.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use synaq_core::{Bin, CategoryId, Iin};
use synaq_seal::roster::{self, Roster, RosterEntry, RosterError, RosterSource};
use synaq_seal::{FileTrustStore, IssuerPublic, IssuerSecret, TrustStore};

const NOW: i64 = 1_790_000_000;
const DAY: i64 = 86_400;
const DEMO_SOURCE: &str = include_str!("../../../assets/demo/roster.toml");
const DEMO_ROSTER: &[u8] = include_bytes!("../../../assets/demo/demo.synaqroster");
const DEMO_ISSUER_PUB: &str = include_str!("../../../assets/demo/keys/demo-issuer.pub");

/// Synthetic ИИН from domain.md (computed, not real people).
const IVAN: &str = "900101300017";
const ALIYA: &str = "850715401236";
const AIGERIM: &str = "000229600074";
const ERLAN: &str = "880315300511";
const FULL_IINS: [&str; 4] = [IVAN, ALIYA, AIGERIM, ERLAN];

fn iin(s: &str) -> Iin {
    Iin::parse(s).unwrap()
}

fn cat(n: u8) -> CategoryId {
    CategoryId::new(format!("cat-{n}")).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn entry(who: &str, name: &str, category: u8, attempt: u32) -> RosterEntry {
    RosterEntry {
        iin: iin(who),
        name: name.into(),
        category: cat(category),
        oo_bin: Bin::parse("080840001239").unwrap(),
        oo_name: "«Қауіпсіз Еңбек» оқу орталығы ЖШС".into(),
        attempt,
        allowed_from: day(2026, 1, 1),
        allowed_to: day(2036, 12, 31),
        seen: Vec::new(),
    }
}

fn roster(version: u64) -> Roster {
    Roster {
        series: "ALM-01".into(),
        version,
        created: NOW - DAY,
        not_before: NOW - DAY,
        not_after: NOW + 30 * DAY,
        branch: "ALM-01".into(),
        entries: vec![
            entry(IVAN, "Иван Петрович Смирнов", 1, 1),
            entry(ALIYA, "Әлия Нұрланқызы Сейітова", 2, 1),
            entry(ERLAN, "Ерлан Серікұлы Төлеуов", 3, 2),
        ],
    }
}

/// A roster small enough to flip every byte of.
fn small() -> Roster {
    let mut r = roster(1);
    r.entries.truncate(1);
    r
}

#[derive(Default)]
struct Marks(BTreeMap<String, u64>);

impl TrustStore for Marks {
    fn high_water(&self, series: &str) -> Option<u64> {
        self.0.get(series).copied()
    }
    fn record(&mut self, series: &str, version: u64) -> std::io::Result<()> {
        let v = self.0.entry(series.to_owned()).or_insert(version);
        *v = (*v).max(version);
        Ok(())
    }
}

struct Failing;

impl TrustStore for Failing {
    fn high_water(&self, _: &str) -> Option<u64> {
        None
    }
    fn record(&mut self, _: &str, _: u64) -> std::io::Result<()> {
        Err(std::io::Error::other("disk full"))
    }
}

fn issuer() -> IssuerSecret {
    IssuerSecret::from_seed(&[11; 32])
}

fn open(bytes: &[u8], now: i64) -> Result<Roster, RosterError> {
    roster::open_unrecorded(bytes, &issuer().public(), now, &Marks::default())
}

/// No full ИИН in any message or debug form: only masked ones. (A БИН, public, may appear.)
fn assert_no_full_iin(text: &str) {
    for s in FULL_IINS.iter().chain(&["900101300018", "990229300013"]) {
        assert!(!text.contains(s), "a full ИИН leaked: {text}");
    }
    for run in text.split(|c: char| !c.is_ascii_digit()) {
        assert!(
            run.len() < 12 || (run.len() == 12 && Iin::parse(run).is_err()),
            "an ИИН-like number {run} in: {text}"
        );
    }
}

#[test]
fn round_trip_and_the_high_water_mark() {
    let r = roster(4);
    let bytes = roster::build(&r, &issuer());
    assert_eq!(&bytes[..8], b"SYNAQRST");
    assert_eq!(bytes[8], 1);
    assert_eq!(&bytes[9..17], &issuer().id().0);
    assert_eq!(
        bytes,
        roster::build(&r, &issuer()),
        "building is deterministic"
    );
    let mut marks = Marks::default();
    let back = roster::open(&bytes, &issuer().public(), NOW, &mut marks).unwrap();
    assert_eq!(back, r);
    assert_eq!(marks.high_water("roster:ALM-01"), Some(4));
    assert_eq!(
        marks.high_water("ALM-01"),
        None,
        "prefixed, not the bare series"
    );
    assert_eq!(roster::verify(&bytes, &issuer().public()).unwrap(), r);
}

#[test]
fn the_body_is_the_documented_json() {
    // Hand-written per docs/formats/roster.md, signed as is: the spec and the code agree.
    let body = r#"{
      "series": "ALM-01", "version": 7, "created": 1789000000,
      "not_before": 1789000000, "not_after": 1800000000, "branch": "ALM-01",
      "entries": [
        { "iin": "900101300017", "name": "Иван Петрович Смирнов", "category": "cat-1",
          "oo_bin": "080840001239", "oo_name": "«Қауіпсіз Еңбек» оқу орталығы ЖШС",
          "attempt": 1, "allowed_from": "2026-01-01", "allowed_to": "2036-12-31" }
      ]
    }"#;
    let bytes = roster::sign_raw_for_tests(body.as_bytes(), &issuer());
    let r = open(&bytes, NOW).unwrap();
    assert_eq!(r.version, 7);
    assert_eq!(r.entries, vec![entry(IVAN, "Иван Петрович Смирнов", 1, 1)]);
    // And what build writes parses back as the same JSON shape.
    let built = roster::build(&r, &issuer());
    let json: serde_json::Value = serde_json::from_slice(&built[21..built.len() - 64]).unwrap();
    let keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys.len(),
        7,
        "series version created not_before not_after branch entries: {keys:?}"
    );
    assert_eq!(json["entries"][0]["allowed_to"], "2036-12-31");
    assert_eq!(
        u32::from_le_bytes(built[17..21].try_into().unwrap()) as usize,
        built.len() - 21 - 64
    );
}

#[test]
fn every_flipped_byte_is_refused() {
    let bytes = roster::build(&small(), &issuer());
    let body_end = bytes.len() - 64;
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x80] {
            let mut b = bytes.clone();
            b[i] ^= bit;
            let err = open(&b, NOW).expect_err(&format!("byte {i} bit {bit:#x} was accepted"));
            let want: &[&str] = match i {
                0..=7 => &["roster-not-a-roster"],
                8 => &["roster-unsupported-version"],
                9..=16 => &["roster-wrong-issuer"],
                17..=20 => &["roster-truncated", "roster-malformed"],
                _ => &["roster-bad-signature"],
            };
            assert!(
                want.contains(&err.code()),
                "byte {i} (body ends at {body_end}): {err}"
            );
            assert_no_full_iin(&err.to_string());
        }
    }
}

#[test]
fn truncated_and_padded_copies_are_refused() {
    let bytes = roster::build(&small(), &issuer());
    for len in 0..bytes.len() {
        let err = open(&bytes[..len], NOW).unwrap_err();
        assert!(
            matches!(err, RosterError::Truncated { actual, .. } if actual == len as u64),
            "{len}: {err}"
        );
        assert_eq!(err.code(), "roster-truncated");
    }
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"xx");
    let err = open(&longer, NOW).unwrap_err();
    assert_eq!(err, RosterError::TrailingData(2));
    assert_eq!(err.code(), "roster-malformed");
    assert_eq!(open(b"PK\x03\x04", NOW), Err(RosterError::NotARoster));
    assert_eq!(
        open(b"SYNAQBNK-a bank, not a roster", NOW),
        Err(RosterError::NotARoster)
    );
}

#[test]
fn another_issuer_is_refused() {
    let other = IssuerSecret::from_seed(&[12; 32]);
    let bytes = roster::build(&small(), &other);
    let err = open(&bytes, NOW).unwrap_err();
    assert_eq!(
        err,
        RosterError::WrongIssuer {
            expected: issuer().id(),
            found: other.id()
        }
    );
    // Another issuer's roster relabelled with the trusted key id: the signature catches it.
    let mut forged = bytes;
    forged[9..17].copy_from_slice(&issuer().id().0);
    assert_eq!(open(&forged, NOW), Err(RosterError::BadSignature));
}

#[test]
fn the_validity_window_is_inclusive() {
    let r = small();
    let bytes = roster::build(&r, &issuer());
    assert!(open(&bytes, r.not_before).is_ok());
    assert!(open(&bytes, r.not_after).is_ok());
    assert_eq!(
        open(&bytes, r.not_before - 1),
        Err(RosterError::NotYetValid {
            not_before: r.not_before
        })
    );
    assert_eq!(
        open(&bytes, r.not_after + 1),
        Err(RosterError::Expired {
            not_after: r.not_after
        })
    );
}

#[test]
fn rollback_is_refused_and_marks_rise_only_after_every_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trust.json");
    let mut trust = FileTrustStore::open(&path).unwrap();
    // A bank series of the same name does not interfere.
    trust.record("ALM-01", 100).unwrap();
    let pubkey = issuer().public();
    let v2 = roster::build(&roster(2), &issuer());
    let v1 = roster::build(&roster(1), &issuer());
    roster::open(&v2, &pubkey, NOW, &mut trust).unwrap();
    assert_eq!(
        roster::open(&v1, &pubkey, NOW, &mut trust),
        Err(RosterError::RolledBack {
            series: "ALM-01".into(),
            have: 2,
            got: 1
        })
    );
    // The same version again is fine (a kiosk restarts and reloads it).
    roster::open(&v2, &pubkey, NOW, &mut trust).unwrap();
    // An expired v3 is refused and does not raise the mark.
    let v3 = roster::build(&roster(3), &issuer());
    assert_eq!(
        roster::open(&v3, &pubkey, NOW + 365 * DAY, &mut trust)
            .unwrap_err()
            .code(),
        "roster-expired"
    );
    // Persisted: a restarted kiosk still refuses v1.
    let mut trust = FileTrustStore::open(&path).unwrap();
    assert_eq!(trust.high_water("roster:ALM-01"), Some(2));
    assert_eq!(trust.high_water("ALM-01"), Some(100));
    assert_eq!(
        roster::open(&v1, &pubkey, NOW, &mut trust)
            .unwrap_err()
            .code(),
        "roster-rolled-back"
    );
    // Another series has its own mark.
    let mut other = roster(1);
    other.series = "AST-01".into();
    roster::open(&roster::build(&other, &issuer()), &pubkey, NOW, &mut trust).unwrap();
    // A trust store that cannot save: the roster is not accepted.
    let err = roster::open(&v2, &pubkey, NOW, &mut Failing).unwrap_err();
    assert_eq!(err.code(), "roster-trust-store");
}

/// The JSON of `small()` with one edit, signed as is.
fn signed_edit(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut v = serde_json::to_value(small()).unwrap();
    edit(&mut v);
    roster::sign_raw_for_tests(&serde_json::to_vec(&v).unwrap(), &issuer())
}

#[test]
fn a_signed_but_invalid_body_is_malformed() {
    type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;
    let cases: Vec<(&str, Edit)> = vec![
        (
            "invalid ИИН (control digit)",
            Box::new(|v| v["entries"][0]["iin"] = "900101300018".into()),
        ),
        (
            "invalid ИИН (29 Feb 1999)",
            Box::new(|v| v["entries"][0]["iin"] = "990229300013".into()),
        ),
        (
            "invalid БИН",
            Box::new(|v| v["entries"][0]["oo_bin"] = "080840001238".into()),
        ),
        (
            "bad category id",
            Box::new(|v| v["entries"][0]["category"] = "Cat 1".into()),
        ),
        (
            "bad date",
            Box::new(|v| v["entries"][0]["allowed_to"] = "2036-02-30".into()),
        ),
        (
            "window backwards",
            Box::new(|v| v["entries"][0]["allowed_from"] = "2037-01-01".into()),
        ),
        (
            "attempt 0",
            Box::new(|v| v["entries"][0]["attempt"] = 0.into()),
        ),
        (
            "empty name",
            Box::new(|v| v["entries"][0]["name"] = "  ".into()),
        ),
        (
            "unknown field in an entry",
            Box::new(|v| v["entries"][0]["photo"] = "x".into()),
        ),
        (
            "unknown field at the top",
            Box::new(|v| v["kiosk"] = "x".into()),
        ),
        (
            "missing field",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("branch");
            }),
        ),
        (
            "an ИИН where a number belongs",
            Box::new(|v| v["entries"][0]["attempt"] = IVAN.into()),
        ),
        (
            "an ИИН inside a bad category id",
            Box::new(|v| v["entries"][0]["category"] = format!("ИИН {IVAN}").into()),
        ),
        ("bad series", Box::new(|v| v["series"] = "ALM 01/..".into())),
        (
            "window backwards at the top",
            Box::new(|v| v["not_before"] = (NOW + 100 * DAY).into()),
        ),
    ];
    for (what, edit) in cases {
        let bytes = signed_edit(edit);
        let err = open(&bytes, NOW).expect_err(what);
        assert_eq!(err.code(), "roster-malformed", "{what}: {err}");
        assert_no_full_iin(&err.to_string());
        assert_no_full_iin(&format!("{err:?}"));
    }
    let not_json = roster::sign_raw_for_tests(b"\xff\xfe not json", &issuer());
    assert_eq!(open(&not_json, NOW).unwrap_err().code(), "roster-malformed");
}

#[test]
fn a_duplicate_registration_is_malformed_with_the_iin_masked() {
    let mut r = roster(1);
    r.entries
        .push(entry(ALIYA, "Әлия Нұрланқызы Сейітова", 2, 2));
    let err = r.validate().unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("********1236"), "{msg}");
    assert!(msg.contains("listed twice for category cat-2"), "{msg}");
    assert_no_full_iin(&msg);
    let bytes = roster::build(&r, &issuer());
    let err = open(&bytes, NOW).unwrap_err();
    assert_eq!(err.code(), "roster-malformed");
    assert_no_full_iin(&err.to_string());
    // The same person in another category is a second registration, not a duplicate.
    let mut r = roster(1);
    r.entries
        .push(entry(ALIYA, "Әлия Нұрланқызы Сейітова", 6, 1));
    assert!(open(&roster::build(&r, &issuer()), NOW).is_ok());
}

#[test]
fn find_honours_dates_and_categories() {
    let mut r = roster(1);
    let mut first = entry(AIGERIM, "Айгерім Болатқызы Жақсылықова", 5, 1);
    first.allowed_from = day(2026, 3, 1);
    first.allowed_to = day(2026, 3, 31);
    let mut retake = entry(AIGERIM, "Айгерім Болатқызы Жақсылықова", 6, 2);
    retake.allowed_from = day(2026, 3, 15);
    retake.allowed_to = day(2026, 4, 14);
    r.entries.push(first);
    r.entries.push(retake);
    let r = open(&roster::build(&r, &issuer()), NOW).unwrap();
    let who = iin(AIGERIM);
    let cats = |on: NaiveDate| -> Vec<String> {
        r.find(&who, on)
            .iter()
            .map(|e| e.category.to_string())
            .collect()
    };
    assert!(cats(day(2026, 2, 28)).is_empty(), "before any window");
    assert_eq!(cats(day(2026, 3, 1)), ["cat-5"], "first day included");
    assert_eq!(cats(day(2026, 3, 20)), ["cat-5", "cat-6"], "both windows");
    assert_eq!(
        cats(day(2026, 3, 31)),
        ["cat-5", "cat-6"],
        "last day included"
    );
    assert_eq!(cats(day(2026, 4, 14)), ["cat-6"]);
    assert!(cats(day(2026, 4, 15)).is_empty(), "after every window");
    // Other people are not mixed in; an unregistered person finds nothing.
    assert_eq!(cats(day(2030, 1, 1)), Vec::<String>::new());
    let ivan = r.find(&iin(IVAN), day(2030, 1, 1));
    assert_eq!(ivan.len(), 1);
    assert_eq!(ivan[0].category, cat(1));
    assert_eq!(ivan[0].attempt, 1);
    assert!(r.find(&iin("920612300247"), day(2030, 1, 1)).is_empty());
    assert_eq!(r.people(), 4);
    assert_eq!(r.per_category()[&cat(5)], 1);
}

#[test]
fn errors_and_debug_never_show_a_full_iin() {
    let r = roster(1);
    assert_no_full_iin(&format!("{r:?}"));
    let bytes = roster::build(&r, &issuer());
    let other = IssuerSecret::from_seed(&[12; 32]);
    let mut errors = vec![
        open(&bytes[..40], NOW).unwrap_err(),
        open(&bytes, NOW - 40 * DAY).unwrap_err(),
        open(&bytes, NOW + 40 * DAY).unwrap_err(),
        roster::open_unrecorded(&bytes, &other.public(), NOW, &Marks::default()).unwrap_err(),
    ];
    let mut flipped = bytes.clone();
    flipped[30] ^= 1;
    errors.push(open(&flipped, NOW).unwrap_err());
    let mut dup = r.clone();
    dup.entries.push(dup.entries[0].clone());
    errors.push(open(&roster::build(&dup, &issuer()), NOW).unwrap_err());
    for e in errors {
        assert_no_full_iin(&e.to_string());
        assert_no_full_iin(&format!("{e:?}"));
    }
}

#[test]
fn the_demo_source_and_roster_agree() {
    let src = RosterSource::from_toml(DEMO_SOURCE).unwrap();
    assert_eq!(src.branch, "ALM-01");
    let pubkey = IssuerPublic::from_toml(DEMO_ISSUER_PUB).unwrap();
    let r = roster::verify(DEMO_ROSTER, &pubkey).unwrap();
    assert_eq!(r.series, "ALM-01");
    assert_eq!(r.branch, "ALM-01");
    assert_eq!(
        r.entries, src.entries,
        "demo.synaqroster was built from roster.toml: rebuild it"
    );
    // It opens on a kiosk during its validity.
    roster::open(DEMO_ROSTER, &pubkey, r.not_before, &mut Marks::default()).unwrap();
    assert!(r.not_after - r.not_before >= 3649 * DAY);
    // What the demo promises: the domain's synthetic ИИН, every category, two ОО, a retake,
    // and windows that keep the demo working until the end of 2036.
    for s in FULL_IINS {
        assert!(!r.find(&iin(s), day(2026, 1, 1)).is_empty(), "{s}");
    }
    assert!(r.entries.len() >= 12);
    let cats: Vec<_> = r.per_category().keys().map(|c| c.to_string()).collect();
    assert_eq!(cats, ["cat-1", "cat-2", "cat-3", "cat-4", "cat-5", "cat-6"]);
    let oo: std::collections::BTreeSet<_> = r.entries.iter().map(|e| e.oo_bin.as_str()).collect();
    assert_eq!(oo.len(), 2);
    assert!(oo.contains("080840001239"));
    assert!(r.entries.iter().any(|e| e.attempt == 2));
    for e in &r.entries {
        assert!(e.allows(day(2026, 1, 1)) && e.allows(day(2036, 12, 31)));
    }
}

#[test]
fn source_problems_are_all_listed_with_lines_and_masked() {
    let src = r#"branch = "ALM-01"
allowed_from = 2026-01-01

[[oo]]
bin = "080840001239"
name = "ЖШС"

[[examinee]]
iin = "900101300017"
name = "Иван Петрович Смирнов"
category = "cat-1"
oo = "080840001239"

[[examinee]]
iin = "900101300017"
name = "Иван Петрович Смирнов"
category = "cat-1"
oo = "150340012340"
allowed_to = "2036-12-31"
"#;
    let err = RosterSource::from_toml(src).unwrap_err();
    let all = err.to_string();
    assert_no_full_iin(&all);
    assert!(
        all.contains("line 9 (ИИН ********0017): no allowed_to"),
        "{all}"
    );
    assert!(
        all.contains("line 15 (ИИН ********0017): oo 150340012340 is not one of the [[oo]]"),
        "{all}"
    );
    // Per-examinee dates override the top ones; a quoted date works too.
    let fixed = src
        .replace(
            "allowed_from = 2026-01-01",
            "allowed_from = 2026-01-01\nallowed_to = \"2036-12-31\"",
        )
        .replace("oo = \"150340012340\"", "oo = \"080840001239\"");
    let err = RosterSource::from_toml(&fixed).unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    assert!(
        err.0[0].contains("listed twice for category cat-1"),
        "{err}"
    );
    let ok = RosterSource::from_toml(&fixed.replacen("\"cat-1\"", "\"cat-2\"", 1)).unwrap();
    assert_eq!(ok.entries.len(), 2);
    assert_eq!(ok.entries[1].allowed_to, day(2036, 12, 31));
    assert_eq!(ok.entries[0].attempt, 1, "attempt defaults to 1");

    // Parse errors name the line and never quote an ИИН.
    for (bad, line) in [
        (src.replacen("900101300017", "900101300018", 1), 9),
        (
            src.replacen(
                "category = \"cat-1\"",
                "attempt = \"900101300017\"\ncategory = \"cat-1\"",
                1,
            ),
            11,
        ),
        (
            src.replacen(
                "name = \"ЖШС\"",
                "name = \"ЖШС\"\nphone = \"900101300017\"",
                1,
            ),
            7,
        ),
        (src.replacen("2026-01-01", "2026-02-30", 1), 2),
    ] {
        let err = RosterSource::from_toml(&bad).unwrap_err();
        let msg = err.to_string();
        assert_no_full_iin(&msg);
        assert!(msg.starts_with(&format!("line {line}")), "{msg}");
    }
}
