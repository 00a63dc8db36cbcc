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

/// Merges the pairs; the questions of other files are kept as they are.
pub(crate) fn pair_all(
    pairs: &[Pair],
    questions: Vec<Question>,
    origins: Vec<Origin>,
) -> (Vec<Question>, Vec<Origin>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut merged: HashMap<usize, Question> = HashMap::new();
    let mut dropped = vec![false; questions.len()];
    for pair in pairs {
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
