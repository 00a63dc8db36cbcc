//! What ЕУМЦ's analyst looks at: each training organisation's yearly rating with the
//! more-than-half-failed flag and the decisions taken on it, pass rates over time by category,
//! branch or kiosk (drawn as charts in [`super::web`]), and a watch list of kiosks whose
//! results look unlike the rest.
//!
//! Counted are decided results: `certified` (a pass) and `failed`. Months are the office
//! zone's calendar months. Queries group by day in the database (integer arithmetic both
//! databases share) and fold days into months here.

use std::collections::BTreeMap;

use chrono::Datelike as _;

use super::PortalError;
use crate::sql::params;
use crate::Central;

/// A training organisation's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    /// БИН.
    pub bin: String,
    /// Its name on the list (its БИН when not on the list).
    pub name: String,
    /// Its status on the list.
    pub status: String,
    /// Learners who passed and failed.
    pub passed: u32,
    /// Failed.
    pub failed: u32,
    /// More than half failed.
    pub flagged: bool,
    /// The decisions on this ОО (time, login, action, reason), newest first.
    pub decisions: Vec<(i64, String, String, String)>,
}

/// Which grouping a chart is by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// The exam's category.
    Category,
    /// The branch.
    Branch,
    /// The kiosk.
    Kiosk,
}

impl By {
    /// From `?by=`.
    pub fn parse(s: &str) -> By {
        match s {
            "branch" => By::Branch,
            "kiosk" => By::Kiosk,
            _ => By::Category,
        }
    }

    /// As in `?by=`.
    pub fn as_str(self) -> &'static str {
        match self {
            By::Category => "category",
            By::Branch => "branch",
            By::Kiosk => "kiosk",
        }
    }

    fn column(self) -> &'static str {
        match self {
            By::Category => "category",
            By::Branch => "branch",
            By::Kiosk => "kiosk",
        }
    }
}

/// One line of a chart: a group's passes and exams per month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// The group (category id, branch code or kiosk id).
    pub group: String,
    /// Per month (`YYYY-MM`): passes and decided exams.
    pub months: BTreeMap<String, (u32, u32)>,
}

/// A kiosk on the watch list, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    /// The kiosk.
    pub kiosk: String,
    /// Its branch.
    pub branch: String,
    /// Exams in the period.
    pub exams: u32,
    /// Its pass rate, percent.
    pub pass_pct: u32,
    /// Held for review, percent of its exams.
    pub held_pct: u32,
    /// Its mean exam length, minutes.
    pub mean_minutes: u32,
    /// Why it is watched (`portal-watch-…` keys).
    pub flags: Vec<&'static str>,
}

/// Kiosks with fewer exams are not judged.
pub const WATCH_MIN_EXAMS: u32 = 10;

impl Central {
    /// The ratings of `year`, the flagged first, then by failed share.
    pub fn ratings(&self, year: i32) -> Result<Vec<Rating>, PortalError> {
        let conn = self.db();
        let mut rows: Vec<Rating> = conn
            .prepare(
                "SELECT s.oo_bin, coalesce(o.name, s.oo_bin), coalesce(o.status, ''),
                        s.passed, s.failed
                 FROM oo_stats s LEFT JOIN oos o ON o.bin = s.oo_bin WHERE s.year = ?1",
            )?
            .query_map([year], |r| {
                let passed: u32 = r.get(3)?;
                let failed: u32 = r.get(4)?;
                Ok(Rating {
                    bin: r.get(0)?,
                    name: r.get(1)?,
                    status: r.get(2)?,
                    passed,
                    failed,
                    flagged: failed * 2 > passed + failed,
                    decisions: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        // Every decision on the list in one query (they are few), newest first, by БИН.
        let mut decisions: std::collections::HashMap<String, Vec<(i64, String, String, String)>> =
            std::collections::HashMap::new();
        for d in conn
            .prepare(
                "SELECT at, login, action, detail FROM portal_journal
                 WHERE action IN ('oo-active', 'oo-suspended', 'oo-excluded') ORDER BY id DESC",
            )?
            .query_map((), |x| {
                Ok((
                    x.get::<_, i64>(0)?,
                    x.get::<_, String>(1)?,
                    x.get::<_, String>(2)?,
                    x.get::<_, String>(3)?,
                ))
            })?
        {
            let d = d?;
            let bin = d.3.split(' ').next().unwrap_or_default().to_owned();
            let list = decisions.entry(bin).or_default();
            if list.len() < 10 {
                list.push(d);
            }
        }
        for r in &mut rows {
            r.decisions = decisions.remove(&r.bin).unwrap_or_default();
        }
        rows.sort_by(|a, b| {
            let share = |r: &Rating| r.failed * 1000 / (r.passed + r.failed).max(1);
            b.flagged
                .cmp(&a.flagged)
                .then(share(b).cmp(&share(a)))
                .then(a.bin.cmp(&b.bin))
        });
        Ok(rows)
    }

    /// The years with results, newest first.
    pub fn rating_years(&self) -> Result<Vec<i32>, PortalError> {
        Ok(self
            .db()
            .prepare("SELECT DISTINCT year FROM oo_stats ORDER BY year DESC")?
            .query_map((), |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    /// Monthly passes and decided exams per group, from `since_ms`, the `top` groups with the
    /// most exams.
    pub fn pass_rates(
        &self,
        by: By,
        since_ms: i64,
        top: usize,
    ) -> Result<Vec<Series>, PortalError> {
        let offset_ms = i64::from(self.office_zone().utc_offset_minutes()) * 60_000;
        let sql = format!(
            "SELECT {col}, (finished + ?2) / 86400000,
                    CAST(sum(CASE WHEN state = 'certified' THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(count(*) AS BIGINT)
             FROM results WHERE finished >= ?1 AND state IN ('certified', 'failed')
             GROUP BY {col}, (finished + ?2) / 86400000",
            col = by.column()
        );
        let mut groups: BTreeMap<String, BTreeMap<String, (u32, u32)>> = BTreeMap::new();
        for row in self
            .db()
            .prepare(&sql)?
            .query_map(params![since_ms, offset_ms], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, u32>(3)?,
                ))
            })?
        {
            let (group, day, passes, exams) = row?;
            let date = chrono::DateTime::from_timestamp(day * 86_400, 0)
                .map(|d| d.date_naive())
                .unwrap_or_default();
            let month = format!("{:04}-{:02}", date.year(), date.month());
            let e = groups.entry(group).or_default().entry(month).or_default();
            e.0 += passes;
            e.1 += exams;
        }
        let mut series: Vec<Series> = groups
            .into_iter()
            .map(|(group, months)| Series { group, months })
            .collect();
        let total = |s: &Series| s.months.values().map(|m| m.1).sum::<u32>();
        series.sort_by(|a, b| total(b).cmp(&total(a)).then(a.group.cmp(&b.group)));
        series.truncate(top);
        Ok(series)
    }

    /// Kiosks whose results, since `since_ms`, look unlike the others': a pass rate 25 points
    /// or more from all kiosks', more than a fifth of their exams held, or a mean exam under
    /// a third of all kiosks' mean. Kiosks with fewer than [`WATCH_MIN_EXAMS`] exams are not
    /// judged. The database sums; nothing is fetched row by row.
    pub fn watch_list(&self, since_ms: i64) -> Result<Vec<Watch>, PortalError> {
        let rows: Vec<(String, String, u32, u32, u32, u32, i64)> = self
            .db()
            .prepare(
                "SELECT kiosk, min(branch), CAST(count(*) AS BIGINT),
                    CAST(sum(CASE WHEN state = 'certified' THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(sum(CASE WHEN state IN ('certified', 'failed') THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(sum(CASE WHEN state = 'held' THEN 1 ELSE 0 END) AS BIGINT),
                    CAST(sum(finished - started) AS BIGINT)
                 FROM results WHERE finished >= ?1 GROUP BY kiosk",
            )?
            .query_map([since_ms], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let (all_exams, all_pass, all_decided, all_ms) =
            rows.iter()
                .fold((0u64, 0u64, 0u64, 0i64), |(e, p, d, ms), r| {
                    (
                        e + u64::from(r.2),
                        p + u64::from(r.3),
                        d + u64::from(r.4),
                        ms + r.6,
                    )
                });
        let all_pct = (all_pass * 100).checked_div(all_decided).unwrap_or(0) as u32;
        let all_mean = all_ms.checked_div(all_exams as i64).unwrap_or(0);
        let mut out = Vec::new();
        for (kiosk, branch, exams, passes, decided, held, ms) in rows {
            if exams < WATCH_MIN_EXAMS {
                continue;
            }
            let pass_pct = (passes * 100).checked_div(decided).unwrap_or(0);
            let held_pct = held * 100 / exams;
            let mean = ms / i64::from(exams);
            let mut flags = Vec::new();
            if decided > 0 && pass_pct.abs_diff(all_pct) >= 25 {
                flags.push("portal-watch-pass-rate");
            }
            if held_pct > 20 {
                flags.push("portal-watch-held");
            }
            if all_mean > 0 && mean * 3 < all_mean {
                flags.push("portal-watch-fast");
            }
            if !flags.is_empty() {
                out.push(Watch {
                    kiosk,
                    branch,
                    exams,
                    pass_pct,
                    held_pct,
                    mean_minutes: (mean / 60_000) as u32,
                    flags,
                });
            }
        }
        Ok(out)
    }
}
