//! ИИН (individual identification number) and БИН (business identification number).
//!
//! Both are 12 digits whose last digit is a control digit over the first 11:
//! `c = Σ dᵢ·wᵢ mod 11` with weights 1..=11; when that gives 10 it is computed again with
//! weights 3..=11, 1, 2; when that gives 10 too, no number with these 11 digits is valid.
//!
//! An ИИН is personal data (Law No. 94-V): its `Debug` form is masked, it has no `Display`,
//! and the full digits are only reachable through [`Iin::as_str`], so printing one in a log
//! line has to be done on purpose.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const LEN: usize = 12;
const WEIGHTS_FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// Why a string is not a valid ИИН or БИН. Each message says what to correct.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// Not 12 characters long.
    #[error("must be exactly 12 digits, but has {0}")]
    WrongLength(usize),
    /// A character that is not an ASCII digit (position counts from 1).
    #[error("character {position} is not a digit")]
    NotADigit { position: usize },
    /// ИИН digit 7 is not 1..=6.
    #[error("digit 7 (century and sex) is {0}, but must be 1 to 6")]
    InvalidCentury(u8),
    /// Digits 3–4 are not a month 01..=12.
    #[error("digits 3–4 (month) are {0:02}, but must be 01 to 12")]
    InvalidMonth(u8),
    /// Digits 1–6 name a day that does not exist (like 29 February in a common year).
    #[error("digits 1–6 name the date {year:04}-{month:02}-{day:02}, which does not exist")]
    InvalidDate { year: i32, month: u8, day: u8 },
    /// БИН digit 5 is not 4, 5 or 6.
    #[error("digit 5 (type of organisation) is {0}, but must be 4, 5 or 6")]
    InvalidEntityType(u8),
    /// БИН digit 6 is not 0..=3.
    #[error("digit 6 (kind of unit) is {0}, but must be 0 to 3")]
    InvalidUnitKind(u8),
    /// The control digit does not match: most often a mistyped or swapped digit.
    #[error("control digit is {found}, but the first 11 digits give {expected}: check for a mistyped or swapped digit")]
    ControlDigit { expected: u8, found: u8 },
    /// No control digit exists for the first 11 digits, so no such number is issued.
    #[error("no number with these first 11 digits can be valid")]
    NoControlDigit,
}

impl IdError {
    /// A stable code for the error, used as the Fluent message id (`id-error-…`).
    pub fn code(&self) -> &'static str {
        match self {
            IdError::WrongLength(_) => "id-error-wrong-length",
            IdError::NotADigit { .. } => "id-error-not-a-digit",
            IdError::InvalidCentury(_) => "id-error-invalid-century",
            IdError::InvalidMonth(_) => "id-error-invalid-month",
            IdError::InvalidDate { .. } => "id-error-invalid-date",
            IdError::InvalidEntityType(_) => "id-error-invalid-entity-type",
            IdError::InvalidUnitKind(_) => "id-error-invalid-unit-kind",
            IdError::ControlDigit { .. } => "id-error-control-digit",
            IdError::NoControlDigit => "id-error-no-control-digit",
        }
    }

    /// The code with the values its message shows (the Fluent message `id-error-…`).
    pub fn to_code(&self) -> crate::Code {
        let code = crate::Code::new(self.code());
        match *self {
            IdError::WrongLength(n) => code.arg("count", n),
            IdError::NotADigit { position } => code.arg("position", position),
            IdError::InvalidCentury(d)
            | IdError::InvalidEntityType(d)
            | IdError::InvalidUnitKind(d) => code.arg("digit", d),
            IdError::InvalidMonth(m) => code.arg("month", format!("{m:02}")),
            IdError::InvalidDate { year, month, day } => {
                code.arg("date", format!("{day:02}.{month:02}.{year:04}"))
            }
            IdError::ControlDigit { expected, found } => {
                code.arg("expected", expected).arg("found", found)
            }
            IdError::NoControlDigit => code,
        }
    }

    /// One error of every kind, with representative values: tests format each in every language.
    pub fn examples() -> Vec<IdError> {
        vec![
            IdError::WrongLength(11),
            IdError::NotADigit { position: 3 },
            IdError::InvalidCentury(7),
            IdError::InvalidMonth(13),
            IdError::InvalidDate {
                year: 1999,
                month: 2,
                day: 29,
            },
            IdError::InvalidEntityType(7),
            IdError::InvalidUnitKind(4),
            IdError::ControlDigit {
                expected: 7,
                found: 8,
            },
            IdError::NoControlDigit,
        ]
    }

    /// Every code [`IdError::code`] can return, so tests can check that each is translated.
    pub const ALL_CODES: [&'static str; 9] = [
        "id-error-wrong-length",
        "id-error-not-a-digit",
        "id-error-invalid-century",
        "id-error-invalid-month",
        "id-error-invalid-date",
        "id-error-invalid-entity-type",
        "id-error-invalid-unit-kind",
        "id-error-control-digit",
        "id-error-no-control-digit",
    ];
}

/// The control digit for 11 leading digits, or `None` when no valid one exists.
pub fn control_digit(first11: &[u8; 11]) -> Option<u8> {
    let sum = |w: &[u32; 11]| {
        let s: u32 = first11.iter().zip(w).map(|(&d, &w)| u32::from(d) * w).sum();
        (s % 11) as u8
    };
    match sum(&WEIGHTS_FIRST) {
        10 => match sum(&WEIGHTS_SECOND) {
            10 => None,
            c => Some(c),
        },
        c => Some(c),
    }
}

fn digits(s: &str) -> Result<[u8; LEN], IdError> {
    let count = s.chars().count();
    if count != LEN {
        return Err(IdError::WrongLength(count));
    }
    let mut out = [0u8; LEN];
    for (i, c) in s.chars().enumerate() {
        out[i] = c
            .to_digit(10)
            .filter(|_| c.is_ascii_digit())
            .ok_or(IdError::NotADigit { position: i + 1 })? as u8;
    }
    Ok(out)
}

fn check_control(d: &[u8; LEN]) -> Result<(), IdError> {
    let first11: [u8; 11] = d[..11].try_into().expect("12 digits have 11 leading ones");
    let expected = control_digit(&first11).ok_or(IdError::NoControlDigit)?;
    if expected != d[11] {
        return Err(IdError::ControlDigit {
            expected,
            found: d[11],
        });
    }
    Ok(())
}

fn two(d: &[u8; LEN], at: usize) -> u8 {
    d[at] * 10 + d[at + 1]
}

fn as_string(d: &[u8; LEN]) -> String {
    d.iter().map(|&x| char::from(b'0' + x)).collect()
}

/// Sex as encoded in ИИН digit 7 (odd is male).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// A valid ИИН: structure, a real birth date, a known century digit and a matching control digit.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iin([u8; LEN]);

impl Iin {
    /// Parses and validates an ИИН. Surrounding white space is not accepted: the caller
    /// trims what a person typed, so that what is stored is exactly what was checked.
    pub fn parse(s: &str) -> Result<Iin, IdError> {
        let d = digits(s)?;
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            other => return Err(IdError::InvalidCentury(other)),
        };
        let (yy, month, day) = (two(&d, 0), two(&d, 2), two(&d, 4));
        if !(1..=12).contains(&month) {
            return Err(IdError::InvalidMonth(month));
        }
        let year = century + i32::from(yy);
        if NaiveDate::from_ymd_opt(year, month.into(), day.into()).is_none() {
            return Err(IdError::InvalidDate { year, month, day });
        }
        check_control(&d)?;
        Ok(Iin(d))
    }

    /// The birth date encoded in digits 1–7.
    pub fn birth_date(&self) -> NaiveDate {
        let century = match self.0[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            _ => 2000,
        };
        NaiveDate::from_ymd_opt(
            century + i32::from(two(&self.0, 0)),
            two(&self.0, 2).into(),
            two(&self.0, 4).into(),
        )
        .expect("validated at parse time")
    }

    /// The sex encoded in digit 7.
    pub fn sex(&self) -> Sex {
        if self.0[6] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// All 12 digits. Personal data: never put this in a log line or a QR code.
    pub fn as_str(&self) -> String {
        as_string(&self.0)
    }

    /// The form safe for logs and screens that only need to tell people apart:
    /// eight stars and the last four digits (`********0017`).
    pub fn masked(&self) -> String {
        let tail: String = as_string(&self.0)[8..].to_owned();
        format!("********{tail}")
    }
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iin({})", self.masked())
    }
}

impl FromStr for Iin {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Iin::parse(s)
    }
}

impl Serialize for Iin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_str())
    }
}

impl<'de> Deserialize<'de> for Iin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Iin::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A valid БИН: month of registration, organisation type, unit kind and control digit.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bin([u8; LEN]);

impl Bin {
    /// Parses and validates a БИН.
    pub fn parse(s: &str) -> Result<Bin, IdError> {
        let d = digits(s)?;
        let month = two(&d, 2);
        if !(1..=12).contains(&month) {
            return Err(IdError::InvalidMonth(month));
        }
        if !(4..=6).contains(&d[4]) {
            return Err(IdError::InvalidEntityType(d[4]));
        }
        if d[5] > 3 {
            return Err(IdError::InvalidUnitKind(d[5]));
        }
        check_control(&d)?;
        Ok(Bin(d))
    }

    /// All 12 digits (a БИН identifies an organisation and is public).
    pub fn as_str(&self) -> String {
        as_string(&self.0)
    }
}

impl fmt::Debug for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bin({})", self.as_str())
    }
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

impl FromStr for Bin {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Bin::parse(s)
    }
}

impl Serialize for Bin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_str())
    }
}

impl<'de> Deserialize<'de> for Bin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Bin::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // The synthetic values from domain.md: computed, not real people.
    #[test]
    fn accepts_every_valid_example() {
        for s in [
            "900101300017",
            "850715401236",
            "000229600074",
            "880315300511",
        ] {
            let iin = Iin::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(iin.as_str(), s);
        }
        assert_eq!(Bin::parse("080840001239").unwrap().as_str(), "080840001239");
    }

    #[test]
    fn rejects_every_invalid_example_with_its_own_reason() {
        let cases = [
            (
                "900101300018",
                IdError::ControlDigit {
                    expected: 7,
                    found: 8,
                },
            ),
            (
                "900110300017",
                IdError::ControlDigit {
                    expected: 6,
                    found: 7,
                },
            ),
            (
                "990229300013",
                IdError::InvalidDate {
                    year: 1999,
                    month: 2,
                    day: 29,
                },
            ),
            ("901301300017", IdError::InvalidMonth(13)),
            ("900101700012", IdError::InvalidCentury(7)),
            // Both weight sequences give 10: no control digit can make this number valid.
            ("900101300800", IdError::NoControlDigit),
        ];
        for (s, want) in cases {
            assert_eq!(Iin::parse(s), Err(want), "{s}");
        }
    }

    #[test]
    fn example_values_exercise_what_they_claim() {
        // 880315300511 needs the second weight sequence: the first gives 10.
        let d = digits("880315300511").unwrap();
        let s: u32 = d[..11]
            .iter()
            .zip(WEIGHTS_FIRST)
            .map(|(&d, w)| u32::from(d) * w)
            .sum();
        assert_eq!(s % 11, 10);
        // 990229300013 has a correct checksum: only the date is wrong.
        assert_eq!(check_control(&digits("990229300013").unwrap()), Ok(()));
    }

    #[test]
    fn structure_errors_name_the_position() {
        assert_eq!(Iin::parse("90010130001"), Err(IdError::WrongLength(11)));
        assert_eq!(Iin::parse(""), Err(IdError::WrongLength(0)));
        assert_eq!(
            Iin::parse("9001013000a7"),
            Err(IdError::NotADigit { position: 11 })
        );
        // Non-ASCII digits (Arabic-Indic) are not accepted.
        assert_eq!(
            Iin::parse("٩00101300017"),
            Err(IdError::NotADigit { position: 1 })
        );
        assert_eq!(Iin::parse("900101000017"), Err(IdError::InvalidCentury(0)));
    }

    #[test]
    fn birth_date_and_sex() {
        let iin = Iin::parse("000229600074").unwrap();
        assert_eq!(
            iin.birth_date(),
            NaiveDate::from_ymd_opt(2000, 2, 29).unwrap()
        );
        assert_eq!(iin.sex(), Sex::Female);
        let iin = Iin::parse("900101300017").unwrap();
        assert_eq!(
            iin.birth_date(),
            NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()
        );
        assert_eq!(iin.sex(), Sex::Male);
    }

    #[test]
    fn iin_never_prints_in_full() {
        let iin = Iin::parse("900101300017").unwrap();
        let debug = format!("{iin:?}");
        assert!(!debug.contains("900101300017"), "{debug}");
        assert_eq!(iin.masked(), "********0017");
    }

    #[test]
    fn bin_checks_type_and_unit() {
        assert_eq!(Bin::parse("081340001239"), Err(IdError::InvalidMonth(13)));
        assert_eq!(
            Bin::parse("080870001239"),
            Err(IdError::InvalidEntityType(7))
        );
        assert_eq!(Bin::parse("080844001239"), Err(IdError::InvalidUnitKind(4)));
        assert!(matches!(
            Bin::parse("080840001238"),
            Err(IdError::ControlDigit { .. })
        ));
    }

    #[test]
    fn serde_validates() {
        let iin: Iin = serde_json::from_str("\"900101300017\"").unwrap();
        assert_eq!(serde_json::to_string(&iin).unwrap(), "\"900101300017\"");
        let err = serde_json::from_str::<Iin>("\"900101300018\"").unwrap_err();
        assert!(err.to_string().contains("control digit"), "{err}");
    }

    #[test]
    fn every_error_has_a_listed_code() {
        let all = [
            IdError::WrongLength(1),
            IdError::NotADigit { position: 1 },
            IdError::InvalidCentury(0),
            IdError::InvalidMonth(0),
            IdError::InvalidDate {
                year: 1,
                month: 1,
                day: 1,
            },
            IdError::InvalidEntityType(0),
            IdError::InvalidUnitKind(0),
            IdError::ControlDigit {
                expected: 0,
                found: 1,
            },
            IdError::NoControlDigit,
        ];
        let codes: Vec<_> = all.iter().map(IdError::code).collect();
        assert_eq!(codes, IdError::ALL_CODES);
    }

    /// A valid ИИН built from parts, or `None` when its 11 digits have no control digit.
    fn build_iin(date: NaiveDate, sex_odd: bool, serial: u16) -> Option<String> {
        use chrono::Datelike;
        let century = match date.year() {
            1800..=1899 => 1,
            1900..=1999 => 3,
            _ => 5,
        } + u8::from(!sex_odd);
        let s = format!(
            "{:02}{:02}{:02}{}{:04}",
            date.year() % 100,
            date.month(),
            date.day(),
            century,
            serial
        );
        let first11: [u8; 11] = s
            .bytes()
            .map(|b| b - b'0')
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();
        control_digit(&first11).map(|c| format!("{s}{c}"))
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (1850i32..2099, 1u32..=366)
            .prop_filter_map("day of year", |(y, doy)| NaiveDate::from_yo_opt(y, doy))
    }

    proptest! {
        #[test]
        fn built_iins_parse_and_keep_their_date(date in any_date(), odd: bool, serial in 0u16..10000) {
            if let Some(s) = build_iin(date, odd, serial) {
                let iin = Iin::parse(&s).unwrap();
                prop_assert_eq!(iin.birth_date(), date);
                prop_assert_eq!(iin.sex() == Sex::Male, odd);
                prop_assert_eq!(iin.as_str(), s);
            }
        }

        #[test]
        fn a_wrong_control_digit_is_always_caught(date in any_date(), odd: bool, serial in 0u16..10000, bump in 1u8..10) {
            if let Some(s) = build_iin(date, odd, serial) {
                let mut b = s.into_bytes();
                b[11] = b'0' + (b[11] - b'0' + bump) % 10;
                let bad = String::from_utf8(b).unwrap();
                let is_control_error = matches!(Iin::parse(&bad), Err(IdError::ControlDigit { .. }));
                prop_assert!(is_control_error);
            }
        }

        #[test]
        fn any_string_parses_or_says_why(s in "\\PC{0,14}") {
            // Never panics; an error always has a code with a translation key.
            if let Err(e) = Iin::parse(&s) {
                prop_assert!(IdError::ALL_CODES.contains(&e.code()));
            }
            let _ = Bin::parse(&s);
        }

        #[test]
        fn masked_hides_the_first_eight_digits(date in any_date(), serial in 0u16..10000) {
            if let Some(s) = build_iin(date, true, serial) {
                let m = Iin::parse(&s).unwrap().masked();
                prop_assert_eq!(&m[..8], "********");
                prop_assert_eq!(&m[8..], &s[8..]);
            }
        }
    }
}
