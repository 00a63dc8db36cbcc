//! Calendar dates at the office, for kiosk and central alike: the date an exam was taken,
//! the last day of a retake window or of a certificate's validity, and how dates are written
//! (`dd.MM.yyyy` for people, ISO `yyyy-MM-dd` in files and on the wire).
//!
//! Instants are Unix milliseconds (or seconds) everywhere in Synaq; a date exists only at an
//! office, so every conversion takes the office's [`OfficeZone`], a setting whose default is
//! Kazakhstan's time ([`OfficeZone::ALMATY`]).
//!
//! Why a fixed offset and not the tz database (`chrono-tz`): Kazakhstan has had one zone,
//! UTC+5, since 2024-03-01 (Almaty moved from UTC+6), with no daylight saving. A kiosk is
//! offline for months and cannot rely on its OS's zone data being current (that change
//! itself reached many systems late), and a built-in database is only as new as the build.
//! A fixed offset is exact for every exam Synaq records, and it is a setting: should the law
//! change again, the office changes the setting, not the code. Instants before 2024-03-01
//! in Almaty are an hour off in this model; Synaq holds no exams from then.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Days, FixedOffset, Months, NaiveDate};

/// Why a zone or date does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// Not a zone Synaq knows: `Asia/Almaty` or an offset like `UTC+05:00`.
    #[error("{0:?} is not a time zone: write Asia/Almaty or an offset such as UTC+05:00")]
    BadZone(String),
    /// Not an ISO date `yyyy-MM-dd`.
    #[error("{0:?} is not a date: write it as yyyy-MM-dd")]
    BadDate(String),
}

/// The office's time zone: a fixed offset from UTC (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OfficeZone {
    /// East of UTC, in seconds.
    offset_secs: i32,
}

/// The most an offset may be: UTC−14:00 to UTC+14:00 are the zones that exist.
const MAX_OFFSET_SECS: i32 = 14 * 3600;

impl OfficeZone {
    /// Kazakhstan's single zone since 2024-03-01: UTC+5 (named for its largest city).
    pub const ALMATY: OfficeZone = OfficeZone {
        offset_secs: 5 * 3600,
    };

    /// The zone `minutes` east of UTC (negative: west), at most 14 hours.
    pub fn from_utc_offset_minutes(minutes: i32) -> Result<OfficeZone, TimeError> {
        let offset_secs = minutes
            .checked_mul(60)
            .filter(|s| s.abs() <= MAX_OFFSET_SECS)
            .ok_or_else(|| TimeError::BadZone(format!("{minutes} minutes")))?;
        Ok(OfficeZone { offset_secs })
    }

    /// Minutes east of UTC.
    pub fn utc_offset_minutes(self) -> i32 {
        self.offset_secs / 60
    }

    fn offset(self) -> FixedOffset {
        FixedOffset::east_opt(self.offset_secs).expect("offsets are checked on construction")
    }

    /// The instant `unix_ms` on the office's clock. Out of chrono's range: the epoch.
    pub fn datetime_of_ms(self, unix_ms: i64) -> DateTime<FixedOffset> {
        DateTime::from_timestamp_millis(unix_ms)
            .unwrap_or_default()
            .with_timezone(&self.offset())
    }

    /// The office's date at the instant `unix_ms`.
    pub fn date_of_ms(self, unix_ms: i64) -> NaiveDate {
        self.datetime_of_ms(unix_ms).date_naive()
    }

    /// The office's date at the instant `unix_secs`.
    pub fn date_of_secs(self, unix_secs: i64) -> NaiveDate {
        self.date_of_ms(unix_secs.saturating_mul(1000))
    }

    /// Today's date at the office, by the system clock.
    pub fn today(self) -> NaiveDate {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        self.date_of_ms(ms)
    }

    /// `yyyy-MM-dd HH:mm:ss` at the office, for reports and logs.
    pub fn format_datetime_ms(self, unix_ms: i64) -> String {
        self.datetime_of_ms(unix_ms)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }
}

impl Default for OfficeZone {
    /// [`OfficeZone::ALMATY`].
    fn default() -> Self {
        OfficeZone::ALMATY
    }
}

impl fmt::Display for OfficeZone {
    /// `UTC+05:00`: what [`OfficeZone::from_str`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.offset_secs < 0 { '-' } else { '+' };
        let m = self.offset_secs.abs() / 60;
        write!(f, "UTC{sign}{:02}:{:02}", m / 60, m % 60)
    }
}

impl FromStr for OfficeZone {
    type Err = TimeError;

    /// `Asia/Almaty` (and Kazakhstan's other zone names, all UTC+5 now), `UTC+05:00`,
    /// `+05:00`, `UTC+5`, `UTC`.
    fn from_str(s: &str) -> Result<OfficeZone, TimeError> {
        let bad = || TimeError::BadZone(s.to_owned());
        let t = s.trim();
        if matches!(
            t,
            "Asia/Almaty"
                | "Asia/Qostanay"
                | "Asia/Qyzylorda"
                | "Asia/Aqtobe"
                | "Asia/Aqtau"
                | "Asia/Atyrau"
                | "Asia/Oral"
        ) {
            return Ok(OfficeZone::ALMATY);
        }
        let rest = t.strip_prefix("UTC").unwrap_or(t);
        if rest.is_empty() {
            return Ok(OfficeZone { offset_secs: 0 });
        }
        let (sign, rest) = match rest.as_bytes().first() {
            Some(b'+') => (1, &rest[1..]),
            Some(b'-') => (-1, &rest[1..]),
            _ => return Err(bad()),
        };
        let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
        let digits =
            |x: &str| !x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || !digits(m) {
            return Err(bad());
        }
        let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if m >= 60 {
            return Err(bad());
        }
        OfficeZone::from_utc_offset_minutes(sign * (h * 60 + m)).map_err(|_| bad())
    }
}

/// `date` plus `days` (the last day of a retake window, an expiry), saturating at chrono's
/// last date.
pub fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The last valid day of something issued on `issued` for `years` years: the day before the
/// anniversary (issued 2026-12-04 for 1 year: valid until 2027-12-03; from 29 February the
/// anniversary in a common year is 28 February).
pub fn valid_until(issued: NaiveDate, years: u32) -> Option<NaiveDate> {
    issued
        .checked_add_months(Months::new(years.checked_mul(12)?))
        .and_then(|d| d.checked_sub_days(Days::new(1)))
}

/// `dd.MM.yyyy`, as dates are written in Kazakhstan (both languages).
pub fn format_dmy(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// ISO `yyyy-MM-dd`, for files and the wire.
pub fn format_iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Reads an ISO `yyyy-MM-dd` date.
pub fn parse_iso(s: &str) -> Result<NaiveDate, TimeError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| TimeError::BadDate(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(iso_utc: &str) -> i64 {
        DateTime::parse_from_rfc3339(iso_utc)
            .unwrap()
            .timestamp_millis()
    }

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).unwrap()
    }

    #[test]
    fn nineteen_utc_is_the_next_day_in_almaty() {
        let z = OfficeZone::default();
        assert_eq!(z, OfficeZone::ALMATY);
        assert_eq!(
            z.date_of_ms(ms("2026-12-04T18:59:59.999Z")),
            d("2026-12-04")
        );
        assert_eq!(z.date_of_ms(ms("2026-12-04T19:00:00Z")), d("2026-12-05"));
        assert_eq!(
            z.date_of_secs(ms("2026-12-31T19:00:00Z") / 1000),
            d("2027-01-01")
        );
        assert_eq!(
            z.format_datetime_ms(ms("2026-12-04T19:00:00Z")),
            "2026-12-05 00:00:00"
        );
        // The same instant in UTC is still the 4th: the zone is a parameter, not a constant.
        let utc: OfficeZone = "UTC".parse().unwrap();
        assert_eq!(utc.date_of_ms(ms("2026-12-04T19:00:00Z")), d("2026-12-04"));
    }

    #[test]
    fn zones_read_and_print() {
        assert_eq!("Asia/Almaty".parse(), Ok(OfficeZone::ALMATY));
        assert_eq!("UTC+05:00".parse(), Ok(OfficeZone::ALMATY));
        assert_eq!("+5".parse(), Ok(OfficeZone::ALMATY));
        assert_eq!(OfficeZone::ALMATY.to_string(), "UTC+05:00");
        let west: OfficeZone = "UTC-03:30".parse().unwrap();
        assert_eq!(west.utc_offset_minutes(), -210);
        assert_eq!(west.to_string().parse(), Ok(west));
        for bad in ["Europe/Nowhere", "UTC+15", "UTC+5:60", "5", "UTC+x"] {
            assert_eq!(
                bad.parse::<OfficeZone>(),
                Err(TimeError::BadZone(bad.into())),
                "{bad}"
            );
        }
        assert_eq!(
            OfficeZone::from_utc_offset_minutes(15 * 60),
            Err(TimeError::BadZone("900 minutes".into()))
        );
    }

    #[test]
    fn days_and_validity_cross_months_and_leap_years() {
        assert_eq!(add_days(d("2026-12-20"), 30), d("2027-01-19"));
        assert_eq!(add_days(d("2028-02-28"), 1), d("2028-02-29"));
        assert_eq!(add_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(valid_until(d("2026-12-04"), 1), Some(d("2027-12-03")));
        assert_eq!(valid_until(d("2028-02-29"), 1), Some(d("2029-02-27")));
        assert_eq!(valid_until(d("2026-01-01"), 3), Some(d("2028-12-31")));
    }

    #[test]
    fn dates_are_written_for_people_and_for_files() {
        assert_eq!(format_dmy(d("2027-01-09")), "09.01.2027");
        assert_eq!(format_iso(d("2027-01-09")), "2027-01-09");
        assert_eq!(
            parse_iso("2027-1-9x"),
            Err(TimeError::BadDate("2027-1-9x".into()))
        );
    }
}
