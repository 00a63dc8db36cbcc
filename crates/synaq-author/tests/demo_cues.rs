//! The demo bank cannot be passed by a trick: 1,000 papers drawn with the real assembly and
//! scored with the real scoring and the profile's pass mark, answered by each classic
//! test-wise strategy, in Kazakh and in Russian.
#![forbid(unsafe_code)]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use synaq_author::cues::{self, LANGS};
use synaq_core::{assemble, score, Answers, ExamProfile, Lang, Question, QuestionId};

const PAPERS: u64 = 1_000;

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

/// The demo questions and profile as written, without the lints (so the numbers can be
/// measured on any bank, even one the lints refuse).
fn demo() -> (ExamProfile, Vec<Question>) {
    let dir = demo_dir();
    let profile =
        ExamProfile::from_toml(&std::fs::read_to_string(dir.join("profile.toml")).unwrap())
            .unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("questions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut questions = Vec::new();
    for f in files {
        let (imp, _) = synaq_author::import_file(&f).unwrap();
        questions.extend(imp.questions);
    }
    (profile, questions)
}

/// What a test-wise examinee sees of an option in one language: its length in characters
/// and whether it says "all" (`все`, `барлығы` … as a whole word).
#[derive(Debug, Clone, Copy)]
struct Looks {
    len: usize,
    says_all: bool,
}

/// `looks[(question, option)][lang]`, computed once for the whole bank.
type Features<'b> = HashMap<(&'b str, &'b str), [Looks; 2]>;

fn features(bank: &[Question]) -> Features<'_> {
    let mut out = HashMap::new();
    for q in bank {
        for o in &q.options {
            let looks = LANGS.map(|lang| {
                let t = o.text.get(lang);
                let words: &[&str] = match lang {
                    Lang::Kk => &["барлығы", "барлығын", "бәрі", "бәрін", "барлық"],
                    _ => &["все", "всё", "всех"],
                };
                Looks {
                    len: t.trim().chars().count(),
                    says_all: t
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| words.contains(&w.to_lowercase().as_str())),
                }
            });
            out.insert((q.id.0.as_str(), o.id.as_str()), looks);
        }
    }
    out
}

/// A test-wise examinee: given the question and its options in the order shown, the option
/// picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    Longest,
    AllElseLongest,
    Position(usize),
}

impl Strategy {
    fn name(self) -> String {
        match self {
            Strategy::Longest => "always the longest".into(),
            Strategy::AllElseLongest => "the \"all\" option, else the longest".into(),
            Strategy::Position(p) => format!("always position {}", p + 1),
        }
    }

    fn pick(self, q: &str, shown: &[String], lang: usize, f: &Features<'_>) -> String {
        let looks = |id: &String| f[&(q, id.as_str())][lang];
        let longest = || {
            // The first of the longest in the order shown (which is random).
            let max = shown.iter().map(|id| looks(id).len).max().unwrap_or(0);
            shown
                .iter()
                .find(|id| looks(id).len == max)
                .unwrap()
                .clone()
        };
        match self {
            Strategy::Longest => longest(),
            Strategy::AllElseLongest => shown
                .iter()
                .find(|id| looks(id).says_all)
                .cloned()
                .unwrap_or_else(longest),
            Strategy::Position(p) => shown[p.min(shown.len() - 1)].clone(),
        }
    }
}

#[test]
fn no_trick_passes_one_paper_in_a_hundred() {
    let (profile, bank) = demo();
    let by_id: HashMap<&QuestionId, &Question> = bank.iter().map(|q| (&q.id, q)).collect();
    let looks = features(&bank);
    let categories = profile.categories_in_order();
    let strategies = [
        Strategy::Longest,
        Strategy::AllElseLongest,
        Strategy::Position(0),
        Strategy::Position(1),
        Strategy::Position(2),
        Strategy::Position(3),
    ];

    // The baseline the papers are drawn from: how often the correct option is the longest.
    let mut failures = Vec::new();
    for lang in LANGS {
        let r = cues::rates(&bank, lang);
        println!(
            "demo bank ({}): correct option longest in {}",
            lang.code(),
            r.longest
        );
        let positions: Vec<String> = r.position.iter().map(ToString::to_string).collect();
        println!(
            "  correct option by authored position: {}",
            positions.join(", ")
        );
        if r.longest.above(30) {
            failures.push(format!(
                "{}: the correct option is the longest in {}, above 30 %",
                lang.code(),
                r.longest
            ));
        }
    }

    // passes[strategy][lang]
    let mut passes = vec![[0u32; 2]; strategies.len()];
    let mut best = vec![[0u32; 2]; strategies.len()];
    let seen = HashSet::new();
    for i in 0..PAPERS {
        let category = categories[i as usize % categories.len()];
        let seed = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED;
        let paper = assemble(&bank, category, seed, &seen).unwrap();
        for (s, strategy) in strategies.iter().enumerate() {
            for l in 0..LANGS.len() {
                let answers: Answers = paper
                    .items
                    .iter()
                    .enumerate()
                    .map(|(pos, item)| {
                        let pick = strategy.pick(&item.question.0, &item.options, l, &looks);
                        (pos, BTreeSet::from([pick]))
                    })
                    .collect();
                let result = score(&paper, |id| by_id.get(id).copied(), &answers, category);
                assert_eq!(result.mismatched, 0);
                passes[s][l] += u32::from(result.passed);
                best[s][l] = best[s][l].max(result.percent_milli);
            }
        }
    }
    for (s, strategy) in strategies.iter().enumerate() {
        for (l, lang) in LANGS.iter().enumerate() {
            let line = format!(
                "{:<38} ({}): {} of {PAPERS} papers passed ({:.1} %), best score {:.1} %",
                strategy.name(),
                lang.code(),
                passes[s][l],
                f64::from(passes[s][l]) * 100.0 / PAPERS as f64,
                f64::from(best[s][l]) / 1000.0
            );
            println!("{line}");
            // Fewer than 1 % of the papers.
            if u64::from(passes[s][l]) * 100 >= PAPERS {
                failures.push(line);
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The demo sources pass every lint, the cue lints included (`cargo xtask demo-bank` builds).
#[test]
fn the_demo_sources_are_not_refused_for_cues() {
    let (_, warnings) = synaq_author::load_source_dir(&demo_dir())
        .unwrap_or_else(|e| panic!("{}", e.iter().map(|d| format!("{d}\n")).collect::<String>()));
    // No bank-wide longest-option or "all of the above" finding, not even a warning.
    let bank_wide: Vec<String> = warnings
        .iter()
        .filter(|d| {
            matches!(d.code, Some(cues::LONGEST_RATE | cues::ALL_OF_ABOVE_RATE))
                && d.message.starts_with("bank")
        })
        .map(ToString::to_string)
        .collect();
    assert_eq!(bank_wide, Vec::<String>::new());
}
