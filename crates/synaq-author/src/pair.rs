//! Pairing the Kazakh and the Russian export of the same questions into bilingual questions
//! (`[[pair]]` in `import.toml`, see [`crate::config`]).
//!
//! The Kazakh question gives the id, topic, categories, kind, option ids, correct marks and
//! image; the Russian one gives every Russian text. The two must agree on the number of
//! options and on which are correct, or the pair is an error (`pair-mismatch`). A question
//! with no partner is an error (`pair-missing`) naming it, and is left out.

use std::collections::HashMap;
use std::path::Path;

use synaq_core::Question;

use crate::config::{Pair, PairBy};
use crate::{Diagnostic, Origin};

/// Whether `origin` is the file `rel` (under `questions/`).
fn is_file(origin: &Origin, rel: &str) -> bool {
    origin.file == Path::new("questions").join(rel)
}

/// (index of the category in the file's order, index within it) of each question.
fn positions(items: &[(usize, &Origin)]) -> Vec<(usize, usize)> {
    let mut groups: Vec<Option<&str>> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    items
        .iter()
        .map(|(_, o)| {
            let g = o.group.as_deref();
            let gi = match groups.iter().position(|x| *x == g) {
                Some(i) => i,
                None => {
                    groups.push(g);
                    counts.push(0);
                    groups.len() - 1
                }
            };
            counts[gi] += 1;
            (gi, counts[gi] - 1)
        })
        .collect()
}

fn place(o: &Origin) -> String {
    match o.line {
        Some(l) => format!("{}:{l}", o.file.display()),
        None => o.file.display().to_string(),
    }
}

/// A pairing file's rows: (line, Kazakh id, Russian id).
pub(crate) type PairList = Vec<(usize, String, String)>;

/// Reads a pairing file (CSV, columns `kk` and `ru`); `shown` names it in diagnostics.
pub(crate) fn read_list(shown: &Path, text: &str) -> Result<PairList, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cols: Option<(usize, usize)> = None;
    let mut diags = Vec::new();
    for rec in reader.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                return Err(vec![Diagnostic::error(
                    shown,
                    line,
                    format!("not valid CSV: {e}"),
                )]);
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let Some((k, r)) = cols else {
            let find = |name: &str| cells.iter().position(|c| c.eq_ignore_ascii_case(name));
            match (find("kk"), find("ru")) {
                (Some(k), Some(r)) => cols = Some((k, r)),
                _ => {
                    return Err(vec![Diagnostic::error(
                        shown,
                        Some(line),
                        "the first row must name the columns kk and ru",
                    )])
                }
            }
            continue;
        };
        let get = |i: usize| cells.get(i).cloned().unwrap_or_default();
        let (kk, ru) = (get(k), get(r));
        if kk.is_empty() || ru.is_empty() {
            diags.push(Diagnostic::error(
                shown,
                Some(line),
                "a row needs both a kk and a ru id",
            ));
            continue;
        }
        rows.push((line, kk, ru));
    }
    if diags.is_empty() {
        Ok(rows)
    } else {
        Err(diags)
    }
}

/// Merges the pairs; the questions of other files are kept as they are. `lists[i]` is the
/// pairing file of `pairs[i]` when it pairs by list.
pub(crate) fn pair_all(
    pairs: &[Pair],
    lists: &HashMap<usize, PairList>,
    questions: Vec<Question>,
    origins: Vec<Origin>,
) -> (Vec<Question>, Vec<Origin>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut merged: HashMap<usize, Question> = HashMap::new();
    let mut dropped = vec![false; questions.len()];
    for (pi, pair) in pairs.iter().enumerate() {
        let kk: Vec<(usize, &Origin)> = origins
            .iter()
            .enumerate()
            .filter(|(_, o)| is_file(o, &pair.kk))
            .collect();
        let ru: Vec<(usize, &Origin)> = origins
            .iter()
            .enumerate()
            .filter(|(_, o)| is_file(o, &pair.ru))
            .collect();
        let partner: Vec<Option<usize>> = match pair.by {
            PairBy::Id => {
                let by_id: HashMap<&str, usize> = ru
                    .iter()
                    .map(|(i, _)| (questions[*i].id.0.as_str(), *i))
                    .collect();
                kk.iter()
                    .map(|(i, _)| by_id.get(questions[*i].id.0.as_str()).copied())
                    .collect()
            }
            PairBy::List => {
                let list = lists.get(&pi).map_or(&[][..], Vec::as_slice);
                let shown = pair.list.as_deref().unwrap_or_default();
                let kk_ids: HashMap<&str, usize> = kk
                    .iter()
                    .map(|(i, _)| (questions[*i].id.0.as_str(), *i))
                    .collect();
                let ru_ids: HashMap<&str, usize> = ru
                    .iter()
                    .map(|(i, _)| (questions[*i].id.0.as_str(), *i))
                    .collect();
                let mut partner_of: HashMap<usize, usize> = HashMap::new();
                for (line, k, r) in list {
                    for (id, side, ids) in [(k, &pair.kk, &kk_ids), (r, &pair.ru, &ru_ids)] {
                        if !ids.contains_key(id.as_str()) {
                            diags.push(
                                Diagnostic::error(
                                    shown,
                                    Some(*line),
                                    format!("question {id} is not in questions/{side}"),
                                )
                                .with_code("pair-missing"),
                            );
                        }
                    }
                    if let (Some(&a), Some(&b)) = (kk_ids.get(k.as_str()), ru_ids.get(r.as_str())) {
                        partner_of.insert(a, b);
                    }
                }
                kk.iter().map(|(i, _)| partner_of.get(i).copied()).collect()
            }
            PairBy::Position => {
                let rp: HashMap<(usize, usize), usize> = positions(&ru)
                    .into_iter()
                    .zip(ru.iter().map(|(i, _)| *i))
                    .collect();
                positions(&kk)
                    .into_iter()
                    .map(|p| rp.get(&p).copied())
                    .collect()
            }
        };
        let mut used = vec![false; questions.len()];
        for ((k, ko), r) in kk.iter().zip(partner) {
            let q = &questions[*k];
            let Some(r) = r else {
                diags.push(
                    Diagnostic::error(
                        &ko.file,
                        ko.line,
                        format!(
                            "question {}: no Russian partner in questions/{} (paired by {})",
                            q.id.0,
                            pair.ru,
                            by_name(pair.by)
                        ),
                    )
                    .with_code("pair-missing"),
                );
                dropped[*k] = true;
                continue;
            };
            used[r] = true;
            dropped[r] = true;
            match merge(q, &questions[r]) {
                Ok(m) => {
                    merged.insert(*k, m);
                }
                Err(why) => {
                    diags.push(
                        Diagnostic::error(
                            &ko.file,
                            ko.line,
                            format!(
                                "question {}: its Russian partner {} ({}) {why}",
                                q.id.0,
                                questions[r].id.0,
                                place(&origins[r])
                            ),
                        )
                        .with_code("pair-mismatch"),
                    );
                    dropped[*k] = true;
                }
            }
        }
        for (r, ro) in &ru {
            if !used[*r] {
                diags.push(
                    Diagnostic::error(
                        &ro.file,
                        ro.line,
                        format!(
                            "question {}: no Kazakh partner in questions/{} (paired by {})",
                            questions[*r].id.0,
                            pair.kk,
                            by_name(pair.by)
                        ),
                    )
                    .with_code("pair-missing"),
                );
                dropped[*r] = true;
            }
        }
    }
    let mut qs = Vec::new();
    let mut os = Vec::new();
    for (i, (q, o)) in questions.into_iter().zip(origins).enumerate() {
        if dropped[i] {
            continue;
        }
        qs.push(merged.remove(&i).unwrap_or(q));
        os.push(o);
    }
    (qs, os, diags)
}

fn by_name(by: PairBy) -> &'static str {
    match by {
        PairBy::Id => "id",
        PairBy::Position => "position",
        PairBy::List => "the pairing file",
    }
}

/// The Kazakh question with the Russian texts of its partner, or why they do not match.
fn merge(kk: &Question, ru: &Question) -> Result<Question, String> {
    if kk.options.len() != ru.options.len() {
        return Err(format!(
            "has {} options, this one {}",
            ru.options.len(),
            kk.options.len()
        ));
    }
    let marks = |q: &Question| q.options.iter().map(|o| o.correct).collect::<Vec<_>>();
    if marks(kk) != marks(ru) {
        let letters = |q: &Question| {
            q.options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(format!(
            "marks {} correct, this one {}",
            letters(ru),
            letters(kk)
        ));
    }
    let mut q = kk.clone();
    q.text.ru.clone_from(&ru.text.ru);
    for (o, r) in q.options.iter_mut().zip(&ru.options) {
        o.text.ru.clone_from(&r.text.ru);
        o.fixed |= r.fixed;
    }
    match (&mut q.image, &ru.image) {
        (Some(img), Some(r)) => img.alt.ru.clone_from(&r.alt.ru),
        (None, Some(r)) => q.image = Some(r.clone()),
        _ => {}
    }
    Ok(q)
}
