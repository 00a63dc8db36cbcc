//! Answer cues: what lets a test-wise examinee pick the correct option of a single-choice
//! question without knowing the answer.
//!
//! Synaq's certificates are worth something only if an exam cannot be passed by a trick. The
//! classic tricks are measured per language (an examinee sits the whole exam in Kazakh or in
//! Russian), over single-choice questions with exactly one correct option:
//!
//! * **longest** — the correct option is the strictly longest one (in characters);
//! * **position** — the correct option is at the same place in the authored order (the kiosk
//!   shuffles options, but exports and printed copies keep the authored order);
//! * **all of the above** — exactly one option says "все / всё / всех" (ru) or "барлығы /
//!   барлығын / бәрі / бәрін / барлық" (kk), as a whole word;
//! * **stem echo** — exactly one option repeats a distinctive word of the question (a word of
//!   5 letters or more, compared by its first 5 letters so that inflected forms match);
//! * **odd one out** — exactly one option has no absolute word ("только", "никогда",
//!   "всегда", "любой" …; "тек", "ғана", "ешқашан", "әрқашан" …) while every other has one.
//!
//! A cue's **rate** is how often, among the questions where it singles out an option, that
//! option is the correct one; chance is 1/k for k options (25 % with four). The lints
//! ([`lint_cues`], run by [`crate::lint`] and [`crate::load_source_dir`]):
//!
//! | code | where | warning | error (the bank is not built) |
//! |---|---|---|---|
//! | `cue-longest-question` | a question whose correct option is at least 1.5× as long as every distractor | always | never |
//! | `cue-all-of-above` | a question whose only "all"-option is the correct one | always | never |
//! | `cue-longest-rate` | each topic, and the whole bank | rate > 40 % over ≥ 8 questions | bank only: rate > 50 % over ≥ 20 questions |
//! | `cue-position-rate` | each position, per topic and over the bank | rate > 40 % over ≥ 8 questions | never (the kiosk shuffles options) |
//! | `cue-all-of-above-rate`, `cue-stem-echo-rate`, `cue-odd-one-out-rate` | the whole bank | rate > 40 % over ≥ 8 questions | rate > 50 % over ≥ 20 questions |
//!
//! Every rate message names the language, the measured rate, the questions it was measured
//! over, chance and the threshold it crossed. Topic findings are reported at the topic's
//! first question; bank findings at `questions`.

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use synaq_core::{Lang, Question, QuestionKind};

use crate::{Diagnostic, Origin};

/// A single question's correct option is much longer than every distractor.
pub const LONGEST_QUESTION: &str = "cue-longest-question";
/// A question's only "all of the above"-style option is the correct one.
pub const ALL_OF_ABOVE: &str = "cue-all-of-above";
/// The correct option is the longest too often (per topic or over the bank).
pub const LONGEST_RATE: &str = "cue-longest-rate";
/// The correct option is at one position too often.
pub const POSITION_RATE: &str = "cue-position-rate";
/// The only "all"-option is the correct one too often.
pub const ALL_OF_ABOVE_RATE: &str = "cue-all-of-above-rate";
/// The only option echoing the question is the correct one too often.
pub const STEM_ECHO_RATE: &str = "cue-stem-echo-rate";
/// The only option without an absolute word is the correct one too often.
pub const ODD_ONE_OUT_RATE: &str = "cue-odd-one-out-rate";

/// A rate above this percentage is a warning.
pub const WARN_PERCENT: usize = 40;
/// A bank-wide rate above this percentage is an error (except for position).
pub const ERROR_PERCENT: usize = 50;
/// The fewest questions a rate is judged over for a warning.
pub const MIN_FOR_WARNING: usize = 8;
/// The fewest questions a rate is judged over for an error: below it chance alone too often
/// gives a high rate.
pub const MIN_FOR_ERROR: usize = 20;
/// A correct option at least this many percent of the longest distractor's length is a
/// per-question warning.
pub const LONGER_PERCENT: usize = 150;

/// The languages examinees sit exams in.
pub const LANGS: [Lang; 2] = [Lang::Kk, Lang::Ru];

const ALL_WORDS_RU: &[&str] = &["все", "всё", "всех"];
const ALL_WORDS_KK: &[&str] = &["барлығы", "барлығын", "бәрі", "бәрін", "барлық"];
const ABSOLUTE_RU: &[&str] = &[
    "только",
    "никогда",
    "всегда",
    "любой",
    "любая",
    "любое",
    "любые",
    "любых",
    "любом",
    "исключительно",
    "никакие",
    "никаких",
    "ничего",
];
const ABSOLUTE_KK: &[&str] = &[
    "тек",
    "ғана",
    "ешқашан",
    "әрқашан",
    "ешқандай",
    "ештеңе",
    "ешбір",
];
/// Stem words too common to be a cue.
const STOP_KEYS: &[&str] = &[
    "котор", "следу", "должн", "необх", "какой", "каких", "какие", "какая", "каким", "основ",
    "керек", "қанда", "тиіс", "бойын", "болып", "болға", "үшін", "арқыл", "қалай",
];

/// How often a cue points at the correct option.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    /// Questions where the cue pointed at the correct option.
    pub hits: usize,
    /// Questions where the cue pointed at some option.
    pub n: usize,
    /// The sum of 1/k over those questions, in thousandths: chance's expected hits × 1000.
    chance_milli: usize,
}

impl Rate {
    fn add(&mut self, hit: bool, options: usize) {
        self.n += 1;
        self.hits += usize::from(hit);
        self.chance_milli += 1000 / options.max(1);
    }

    /// The rate in percent (0 when nothing was counted).
    pub fn percent(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.hits as f64 * 100.0 / self.n as f64
        }
    }

    /// What guessing would give, in percent.
    pub fn chance_percent(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.chance_milli as f64 / 10.0 / self.n as f64
        }
    }

    /// Whether the rate is strictly above `percent`.
    pub fn above(&self, percent: usize) -> bool {
        self.hits * 100 > percent * self.n
    }
}

impl fmt::Display for Rate {
    /// `201 of 280 (71.8 %; chance 25.9 %)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} ({:.1} %; chance {:.1} %)",
            self.hits,
            self.n,
            self.percent(),
            self.chance_percent()
        )
    }
}

/// What one single-choice question gives away in one language. Indices are into
/// `question.options`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionCues {
    /// The correct option.
    pub correct: usize,
    /// How many options there are.
    pub options: usize,
    /// Each option's length in characters (trimmed).
    pub lengths: Vec<usize>,
    /// The strictly longest option, if one is.
    pub longest: Option<usize>,
    /// The only option with an "all"-word.
    pub all_of_above: Option<usize>,
    /// The only option repeating a distinctive word of the question.
    pub stem_echo: Option<usize>,
    /// The only option without an absolute word, when every other has one.
    pub odd_one_out: Option<usize>,
}

impl QuestionCues {
    /// The correct option's length in percent of the longest distractor's.
    pub fn correct_to_longest_distractor_percent(&self) -> usize {
        let distractor = self
            .lengths
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != self.correct)
            .map(|(_, &l)| l)
            .max()
            .unwrap_or(0);
        self.lengths[self.correct] * 100 / distractor.max(1)
    }
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn has_word(text: &str, list: &[&str]) -> bool {
    words(text).any(|w| list.contains(&w.as_str()))
}

/// The first five letters of a word of at least five letters.
fn key(word: &str) -> Option<String> {
    if word.chars().count() < 5 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    Some(word.chars().take(5).collect())
}

/// The one index for which `pred` holds, if exactly one does.
fn only(n: usize, pred: impl Fn(usize) -> bool) -> Option<usize> {
    let mut found = None;
    for i in 0..n {
        if pred(i) {
            if found.is_some() {
                return None;
            }
            found = Some(i);
        }
    }
    found
}

/// The cues of a single-choice question with exactly one correct option, in `lang`; `None`
/// for any other question.
pub fn question_cues(q: &Question, lang: Lang) -> Option<QuestionCues> {
    if q.kind != QuestionKind::Single || q.options.len() < 2 {
        return None;
    }
    let correct = only(q.options.len(), |i| q.options[i].correct)?;
    let texts: Vec<&str> = q.options.iter().map(|o| o.text.get(lang).trim()).collect();
    let n = texts.len();
    let lengths: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    let max = lengths.iter().copied().max().unwrap_or(0);
    let longest = only(n, |i| lengths[i] == max);
    let (all_words, absolute) = match lang {
        Lang::Kk => (ALL_WORDS_KK, ABSOLUTE_KK),
        _ => (ALL_WORDS_RU, ABSOLUTE_RU),
    };
    let all_of_above = only(n, |i| has_word(texts[i], all_words));
    let stem: BTreeSet<String> = words(q.text.get(lang))
        .filter_map(|w| key(&w))
        .filter(|k| !STOP_KEYS.contains(&k.as_str()))
        .collect();
    let echoes = |i: usize| words(texts[i]).any(|w| key(&w).is_some_and(|k| stem.contains(&k)));
    let stem_echo = only(n, echoes);
    let absolute_free = |i: usize| !has_word(texts[i], absolute);
    let odd_one_out = only(n, absolute_free);
    Some(QuestionCues {
        correct,
        options: n,
        lengths,
        longest,
        all_of_above,
        stem_echo,
        odd_one_out,
    })
}

/// The cue rates of a set of questions in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CueRates {
    /// Over every single-choice question: the correct option is the strictly longest.
    pub longest: Rate,
    /// `position[p]`: over every single-choice question with more than `p` options, the
    /// correct option is the `p`-th as authored.
    pub position: Vec<Rate>,
    /// Over the questions with exactly one "all"-option: it is the correct one.
    pub all_of_above: Rate,
    /// Over the questions with exactly one option echoing the question: it is the correct one.
    pub stem_echo: Rate,
    /// Over the questions with exactly one option free of absolute words: it is correct.
    pub odd_one_out: Rate,
}

/// Measures every cue over `questions` in `lang` (only single-choice questions count).
pub fn rates<'q>(questions: impl IntoIterator<Item = &'q Question>, lang: Lang) -> CueRates {
    let mut r = CueRates::default();
    for q in questions {
        let Some(c) = question_cues(q, lang) else {
            continue;
        };
        let k = c.options;
        r.longest.add(c.longest == Some(c.correct), k);
        if r.position.len() < k {
            r.position.resize(k, Rate::default());
        }
        for (p, rate) in r.position.iter_mut().enumerate().take(k) {
            rate.add(p == c.correct, k);
        }
        for (cue, rate) in [
            (c.all_of_above, &mut r.all_of_above),
            (c.stem_echo, &mut r.stem_echo),
            (c.odd_one_out, &mut r.odd_one_out),
        ] {
            if let Some(i) = cue {
                rate.add(i == c.correct, k);
            }
        }
    }
    r
}

/// The letter of position `p` (0 → `a`), as options are usually authored.
fn position_name(p: usize) -> String {
    crate::letter_id(p)
}

fn place(origins: &[Origin], i: usize) -> (PathBuf, Option<usize>) {
    origins.get(i).map_or_else(
        || (PathBuf::from("questions"), None),
        |o| (o.file.clone(), o.line),
    )
}

/// A rate finding: a warning above [`WARN_PERCENT`] over at least [`MIN_FOR_WARNING`]
/// questions, an error above [`ERROR_PERCENT`] over at least [`MIN_FOR_ERROR`] when
/// `may_refuse`.
fn judge(
    rate: &Rate,
    may_refuse: bool,
    at: &(PathBuf, Option<usize>),
    code: &'static str,
    what: impl FnOnce(&str) -> String,
) -> Option<Diagnostic> {
    let (file, line) = at;
    if may_refuse && rate.n >= MIN_FOR_ERROR && rate.above(ERROR_PERCENT) {
        let m = what(&format!("{rate}, above the limit of {ERROR_PERCENT} %"));
        return Some(Diagnostic::error(file, *line, m).with_code(code));
    }
    if rate.n >= MIN_FOR_WARNING && rate.above(WARN_PERCENT) {
        let m = what(&format!("{rate}, above {WARN_PERCENT} %"));
        return Some(Diagnostic::warning(file, *line, m).with_code(code));
    }
    None
}

/// Every cue finding over `questions`; `origins[i]` says where `questions[i]` is.
pub fn lint_cues(questions: &[Question], origins: &[Origin]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Per question.
    for (i, q) in questions.iter().enumerate() {
        let (file, line) = place(origins, i);
        let per_lang: Vec<(Lang, QuestionCues)> = LANGS
            .iter()
            .filter_map(|&l| question_cues(q, l).map(|c| (l, c)))
            .collect();
        let long: Vec<String> = per_lang
            .iter()
            .filter(|(_, c)| {
                c.longest == Some(c.correct)
                    && c.correct_to_longest_distractor_percent() >= LONGER_PERCENT
            })
            .map(|(l, c)| {
                let p = c.correct_to_longest_distractor_percent();
                let d = c.lengths[c.correct] * 100 / p.max(1);
                format!(
                    "{} characters against at most {d} in a distractor ({}.{:02}×, {})",
                    c.lengths[c.correct],
                    p / 100,
                    p % 100,
                    l.code()
                )
            })
            .collect();
        if let (false, Some((_, c))) = (long.is_empty(), per_lang.first()) {
            out.push(
                Diagnostic::warning(
                    &file,
                    line,
                    format!(
                        "question {}: the correct option {} is by far the longest: {}; at \
                         {LONGER_PERCENT} % of the longest distractor or more it gives itself \
                         away; shorten it or lengthen the distractors",
                        q.id.0,
                        q.options[c.correct].id,
                        long.join("; ")
                    ),
                )
                .with_code(LONGEST_QUESTION),
            );
        }
        let all: Vec<&str> = per_lang
            .iter()
            .filter(|(_, c)| c.all_of_above == Some(c.correct))
            .map(|(l, _)| l.code())
            .collect();
        if let (false, Some((_, c))) = (all.is_empty(), per_lang.first()) {
            out.push(
                Diagnostic::warning(
                    &file,
                    line,
                    format!(
                        "question {}: the correct option {} is the only one saying \"all\" ({}); \
                         test-wise examinees pick it without reading; give a distractor such a \
                         wording too, or reword the correct option",
                        q.id.0,
                        q.options[c.correct].id,
                        all.join(", ")
                    ),
                )
                .with_code(ALL_OF_ABOVE),
            );
        }
    }

    // Per topic, in order of first appearance.
    let mut topics: Vec<(&str, usize)> = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        if !topics.iter().any(|(t, _)| *t == q.topic) {
            topics.push((q.topic.as_str(), i));
        }
    }
    for &lang in &LANGS {
        let l = lang.code();
        for &(topic, first) in &topics {
            let at = place(origins, first);
            let r = rates(questions.iter().filter(|q| q.topic == topic), lang);
            out.extend(judge(&r.longest, false, &at, LONGEST_RATE, |rate| {
                format!(
                    "topic {topic:?} ({l}): the correct option is the longest in {rate} of its \
                     single-choice questions; \"pick the longest\" beats guessing here"
                )
            }));
            for (p, rate) in r.position.iter().enumerate() {
                out.extend(judge(rate, false, &at, POSITION_RATE, |rate| {
                    format!(
                        "topic {topic:?} ({l}): the correct option is at position {} in {rate} \
                         of the single-choice questions with that many options; spread it over \
                         the positions",
                        position_name(p)
                    )
                }));
            }
        }
        // Over the bank.
        let at = (PathBuf::from("questions"), None);
        let r = rates(questions, lang);
        out.extend(judge(&r.longest, true, &at, LONGEST_RATE, |rate| {
            format!(
                "bank ({l}): the correct option is the longest in {rate} of the single-choice \
                 questions; \"pick the longest\" beats guessing; lengthen distractors or shorten \
                 correct options"
            )
        }));
        for (p, rate) in r.position.iter().enumerate() {
            out.extend(judge(rate, false, &at, POSITION_RATE, |rate| {
                format!(
                    "bank ({l}): the correct option is at position {} in {rate} of the \
                     single-choice questions with that many options; spread it over the \
                     positions",
                    position_name(p)
                )
            }));
        }
        out.extend(judge(&r.all_of_above, true, &at, ALL_OF_ABOVE_RATE, |rate| {
            format!(
                "bank ({l}): where only one option says \"all\", it is the correct one in {rate} \
                 of those questions"
            )
        }));
        out.extend(judge(&r.stem_echo, true, &at, STEM_ECHO_RATE, |rate| {
            format!(
                "bank ({l}): where only one option repeats a word of the question, it is the \
                 correct one in {rate} of those questions"
            )
        }));
        out.extend(judge(&r.odd_one_out, true, &at, ODD_ONE_OUT_RATE, |rate| {
            format!(
                "bank ({l}): where only one option has no absolute word (only, never, always, \
                 any), it is the correct one in {rate} of those questions"
            )
        }));
    }
    out
}
