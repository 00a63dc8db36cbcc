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
//! | `cue-all-of-above-rate` | the whole bank | rate > 40 % over ≥ 8 questions | rate > 50 % over ≥ 20 questions |
//! | `cue-stem-echo-rate`, `cue-odd-one-out-rate` | the whole bank | rate > 40 % over ≥ 8 questions | never (word heuristics: a prefix match or a listed word can be wrong) |
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
/// A bank-wide rate above this percentage is an error (for the longest option and "all of the
/// above"; position, stem echo and odd one out only warn).
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
    "котор",
    "следу",
    "должн",
    "необх",
    "какой",
    "каких",
    "какие",
    "какая",
    "каким",
    "основ",
    "керек",
    "қанда",
    "тиіс",
    "бойын",
    "болып",
    "болға",
    "үшін",
    "арқыл",
    "қалай",
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
    what: impl FnOnce(&str, &str) -> String,
) -> Option<Diagnostic> {
    let (file, line) = at;
    if may_refuse && rate.n >= MIN_FOR_ERROR && rate.above(ERROR_PERCENT) {
        let m = what(
            &rate.to_string(),
            &format!("above the limit of {ERROR_PERCENT} %: the bank is not built"),
        );
        return Some(Diagnostic::error(file, *line, m).with_code(code));
    }
    if rate.n >= MIN_FOR_WARNING && rate.above(WARN_PERCENT) {
        let m = what(&rate.to_string(), &format!("above {WARN_PERCENT} %"));
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
            out.extend(judge(
                &r.longest,
                false,
                &at,
                LONGEST_RATE,
                |rate, limit| {
                    format!(
                    "topic {topic:?} ({l}): the correct option is the longest in {rate} of its \
                     single-choice questions, {limit}; \"pick the longest\" beats guessing here"
                )
                },
            ));
            for (p, rate) in r.position.iter().enumerate() {
                out.extend(judge(rate, false, &at, POSITION_RATE, |rate, limit| {
                    format!(
                        "topic {topic:?} ({l}): the correct option is at position {} in {rate} \
                         of the single-choice questions with that many options, {limit}; spread \
                         it over the positions",
                        position_name(p)
                    )
                }));
            }
        }
        // Over the bank.
        let at = (PathBuf::from("questions"), None);
        let r = rates(questions, lang);
        out.extend(judge(&r.longest, true, &at, LONGEST_RATE, |rate, limit| {
            format!(
                "bank ({l}): the correct option is the longest in {rate} of the single-choice \
                 questions, {limit}; \"pick the longest\" beats guessing; lengthen distractors \
                 or shorten correct options"
            )
        }));
        for (p, rate) in r.position.iter().enumerate() {
            out.extend(judge(rate, false, &at, POSITION_RATE, |rate, limit| {
                format!(
                    "bank ({l}): the correct option is at position {} in {rate} of the \
                     single-choice questions with that many options, {limit}; spread it over \
                     the positions",
                    position_name(p)
                )
            }));
        }
        out.extend(judge(
            &r.all_of_above,
            true,
            &at,
            ALL_OF_ABOVE_RATE,
            |rate, limit| {
                format!(
                "bank ({l}): where only one option says \"all\", it is the correct one in {rate} \
                 of those questions, {limit}"
            )
            },
        ));
        out.extend(judge(
            &r.stem_echo,
            false,
            &at,
            STEM_ECHO_RATE,
            |rate, limit| {
                format!(
                    "bank ({l}): where only one option repeats a word of the question, it is the \
                 correct one in {rate} of those questions, {limit}"
                )
            },
        ));
        out.extend(judge(
            &r.odd_one_out,
            false,
            &at,
            ODD_ONE_OUT_RATE,
            |rate, limit| {
                format!(
                    "bank ({l}): where only one option has no absolute word (only, never, always, \
                 any), it is the correct one in {rate} of those questions, {limit}"
                )
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use synaq_core::{AnswerOption, CategoryId, QuestionId, Text};

    use super::*;
    use crate::Severity;

    fn text(kk: &str, ru: &str) -> Text {
        Text {
            kk: kk.into(),
            ru: ru.into(),
            en: None,
        }
    }

    /// A single-choice question on `topic`; `options` in (kk, ru), `correct` is its index.
    fn q(
        n: usize,
        topic: &str,
        stem: (&str, &str),
        options: &[(&str, &str)],
        correct: usize,
    ) -> Question {
        Question {
            id: QuestionId(format!("q-{n}")),
            version: 1,
            topic: topic.into(),
            categories: vec![CategoryId::new("cat-1").unwrap()],
            text: text(stem.0, stem.1),
            kind: QuestionKind::Single,
            options: options
                .iter()
                .enumerate()
                .map(|(i, (kk, ru))| AnswerOption {
                    id: crate::letter_id(i),
                    text: text(kk, ru),
                    correct: i == correct,
                    fixed: false,
                })
                .collect(),
            image: None,
        }
    }

    /// Four options of `lens` letters each (the same in kk and ru), the correct one at `correct`.
    fn sized(n: usize, topic: &str, lens: [usize; 4], correct: usize) -> Question {
        let texts: Vec<String> = lens.iter().map(|&l| "ж".repeat(l)).collect();
        let opts: Vec<(&str, &str)> = texts.iter().map(|t| (t.as_str(), t.as_str())).collect();
        q(n, topic, ("Сұрақ", "Вопрос"), &opts, correct)
    }

    fn with_code<'d>(diags: &'d [Diagnostic], code: &str) -> Vec<&'d Diagnostic> {
        diags.iter().filter(|d| d.code == Some(code)).collect()
    }

    #[test]
    fn a_much_longer_correct_option_is_a_warning_on_its_question() {
        // 40 letters against at most 20: 2.00× in both languages.
        let long = sized(1, "t", [20, 40, 10, 15], 1);
        // 23 against 20: 1.15×, no warning.
        let close = sized(2, "t", [20, 23, 10, 15], 1);
        let origins = [
            Origin {
                file: "questions/t.toml".into(),
                line: Some(1),
                group: None,
            },
            Origin {
                file: "questions/t.toml".into(),
                line: Some(30),
                group: None,
            },
        ];
        let diags = lint_cues(&[long, close], &origins);
        let w = with_code(&diags, LONGEST_QUESTION);
        assert_eq!(w.len(), 1, "{diags:#?}");
        assert_eq!(w[0].severity, Severity::Warning);
        assert_eq!(w[0].line, Some(1));
        assert!(
            w[0].message.contains(
                "question q-1: the correct option b is by far the longest: 40 characters against \
                 at most 20 in a distractor (2.00×, kk); 40 characters against at most 20 in a \
                 distractor (2.00×, ru)"
            ),
            "{}",
            w[0]
        );
        // A 3:2 ratio is exactly the limit.
        let at_limit = sized(3, "t", [20, 30, 10, 15], 1);
        assert_eq!(
            with_code(&lint_cues(&[at_limit], &[]), LONGEST_QUESTION).len(),
            1
        );
    }

    /// `longest` of 20 questions have the correct option longest (by 10 %); the others have it
    /// shortest. Topics alternate between two, so no topic is judged on its own questions only.
    fn bank(longest: usize, total: usize) -> Vec<Question> {
        (0..total)
            .map(|i| {
                let topic = if i % 2 == 0 { "fire" } else { "height" };
                let correct = i % 4;
                let mut lens = [20, 19, 18, 17];
                if i < longest {
                    lens[correct] = 22;
                } else {
                    lens[correct] = 5;
                }
                sized(i, topic, lens, correct)
            })
            .collect()
    }

    #[test]
    fn a_bank_where_the_longest_option_wins_is_refused_with_its_rate() {
        let diags = lint_cues(&bank(20, 20), &[]);
        let bank_level: Vec<_> = with_code(&diags, LONGEST_RATE)
            .into_iter()
            .filter(|d| d.message.starts_with("bank"))
            .collect();
        assert_eq!(bank_level.len(), 2, "{diags:#?}");
        assert_eq!(bank_level[0].severity, Severity::Error);
        assert_eq!(bank_level[0].file, Path::new("questions"));
        assert!(
            bank_level[0].message.starts_with(
                "bank (kk): the correct option is the longest in 20 of 20 (100.0 %; chance 25.0 \
                 %) of the single-choice questions, above the limit of 50 %: the bank is not built"
            ),
            "{}",
            bank_level[0]
        );
        assert!(bank_level[1].message.starts_with("bank (ru)"));
        // Each topic (10 questions) only warns.
        let topics: Vec<_> = with_code(&diags, LONGEST_RATE)
            .into_iter()
            .filter(|d| d.message.starts_with("topic"))
            .collect();
        assert_eq!(topics.len(), 4);
        assert!(topics.iter().all(|d| d.severity == Severity::Warning));
        assert!(
            topics[0]
                .message
                .contains("\"fire\" (kk): the correct option is the longest in 10 of 10 (100.0 %"),
            "{}",
            topics[0]
        );
    }

    #[test]
    fn rates_between_the_thresholds_warn_and_low_rates_pass() {
        // 10 of 20 = 50 %: not above the limit, above 40 %: a warning.
        let diags = lint_cues(&bank(10, 20), &[]);
        let d: Vec<_> = with_code(&diags, LONGEST_RATE)
            .into_iter()
            .filter(|d| d.message.starts_with("bank (kk)"))
            .collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(
            d[0].message.contains("10 of 20 (50.0 %; chance 25.0 %)"),
            "{}",
            d[0]
        );
        assert!(d[0].message.contains("above 40 %"), "{}", d[0]);
        // 8 of 20 = 40 %: nothing.
        assert_eq!(
            with_code(&lint_cues(&bank(8, 20), &[]), LONGEST_RATE),
            Vec::<&Diagnostic>::new()
        );
        // 19 of 19: too few questions to refuse; a warning.
        let d = lint_cues(&bank(19, 19), &[]);
        let bank_level: Vec<_> = with_code(&d, LONGEST_RATE)
            .into_iter()
            .filter(|d| d.message.starts_with("bank"))
            .collect();
        assert!(bank_level.iter().all(|d| d.severity == Severity::Warning));
        assert_eq!(bank_level.len(), 2);
        // 7 questions are too few even to warn.
        assert_eq!(
            with_code(&lint_cues(&bank(7, 7), &[]), LONGEST_RATE),
            Vec::<&Diagnostic>::new()
        );
    }

    #[test]
    fn rate_measures_chance() {
        let r = rates(&bank(5, 20), Lang::Kk);
        assert_eq!((r.longest.hits, r.longest.n), (5, 20));
        assert_eq!(r.longest.to_string(), "5 of 20 (25.0 %; chance 25.0 %)");
        // bank() rotates the correct option over the four positions.
        let per: Vec<_> = r.position.iter().map(|p| (p.hits, p.n)).collect();
        assert_eq!(per, [(5, 20), (5, 20), (5, 20), (5, 20)]);
    }

    #[test]
    fn the_correct_option_always_first_is_a_position_warning_never_an_error() {
        let qs: Vec<Question> = (0..24)
            .map(|i| sized(i, "fire", [20, 21, 22, 23], 0))
            .collect();
        let diags = lint_cues(&qs, &[]);
        let p = with_code(&diags, POSITION_RATE);
        // kk and ru, topic and bank.
        assert_eq!(p.len(), 4, "{diags:#?}");
        assert!(p.iter().all(|d| d.severity == Severity::Warning));
        assert!(
            p[0].message
                .contains("position a in 24 of 24 (100.0 %; chance 25.0 %)"),
            "{}",
            p[0]
        );
        // Spread over the positions: nothing.
        let qs: Vec<Question> = (0..24)
            .map(|i| sized(i, "fire", [20, 21, 22, 23], i % 4))
            .collect();
        assert_eq!(
            with_code(&lint_cues(&qs, &[]), POSITION_RATE),
            Vec::<&Diagnostic>::new()
        );
    }

    const ALL: (&str, &str) = ("Жоғарыда аталғандардың барлығы", "Всё перечисленное выше");

    fn all_question(n: usize, correct_is_all: bool) -> Question {
        q(
            n,
            "fire",
            ("Сұрақ", "Вопрос"),
            &[
                ("Бірінші жауап", "Первый ответ"),
                ("Екінші жауап", "Второй ответ"),
                ("Үшінші жауап", "Третий ответ"),
                ALL,
            ],
            if correct_is_all { 3 } else { 0 },
        )
    }

    #[test]
    fn the_only_all_of_the_above_being_correct_is_flagged() {
        let diags = lint_cues(&[all_question(1, true)], &[]);
        let w = with_code(&diags, ALL_OF_ABOVE);
        assert_eq!(w.len(), 1, "{diags:#?}");
        assert!(
            w[0].message.starts_with(
                "question q-1: the correct option d is the only one saying \"all\" (kk, ru)"
            ),
            "{}",
            w[0]
        );
        // A distractor that says "all": no warning.
        assert_eq!(
            with_code(&lint_cues(&[all_question(2, false)], &[]), ALL_OF_ABOVE),
            Vec::<&Diagnostic>::new()
        );
        // Whole words only: "всего", "барлығына" are not the cue.
        let c = question_cues(
            &q(
                3,
                "t",
                ("С", "В"),
                &[("барлығына", "прежде всего"), ("жоқ", "нет")],
                0,
            ),
            Lang::Ru,
        )
        .unwrap();
        assert_eq!(c.all_of_above, None);
        let c = question_cues(
            &q(
                4,
                "t",
                ("С", "В"),
                &[("бәрі дұрыс", "все ответы"), ("жоқ", "нет")],
                0,
            ),
            Lang::Kk,
        )
        .unwrap();
        assert_eq!(c.all_of_above, Some(0));

        // Over the bank: 20 of 20 is refused, with the rate.
        let qs: Vec<Question> = (0..20).map(|i| all_question(i, true)).collect();
        let diags = lint_cues(&qs, &[]);
        let r = with_code(&diags, ALL_OF_ABOVE_RATE);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].severity, Severity::Error);
        assert!(
            r[0].message.contains("it is the correct one in 20 of 20 (100.0 %; chance 25.0 %) of those questions, above the limit of 50 %"),
            "{}",
            r[0]
        );
        // 4 of 20: nothing.
        let qs: Vec<Question> = (0..20).map(|i| all_question(i, i < 4)).collect();
        assert_eq!(
            with_code(&lint_cues(&qs, &[]), ALL_OF_ABOVE_RATE),
            Vec::<&Diagnostic>::new()
        );
    }

    fn echo_question(n: usize, echo_correct: bool) -> Question {
        // Only one option repeats "огнетушитель" (as "огнетушителем") / "өрт сөндіргіш".
        let echo = ("Өрт сөндіргішпен сөндіру", "Тушить огнетушителем");
        let plain = ("Сумен құю", "Залить водой");
        let opts = if echo_correct {
            [echo, plain, ("Құммен жабу", "Засыпать песком")]
        } else {
            [plain, echo, ("Құммен жабу", "Засыпать песком")]
        };
        q(
            n,
            "fire",
            (
                "Өрт сөндіргішті қашан қолданады?",
                "Когда применяют огнетушитель?",
            ),
            &opts,
            0,
        )
    }

    #[test]
    fn stem_echo_and_odd_one_out_only_warn() {
        let qs: Vec<Question> = (0..20).map(|i| echo_question(i, true)).collect();
        let diags = lint_cues(&qs, &[]);
        let e = with_code(&diags, STEM_ECHO_RATE);
        assert_eq!(e.len(), 2, "{diags:#?}");
        assert!(e.iter().all(|d| d.severity == Severity::Warning));
        assert!(
            e[1].message.contains("bank (ru)")
                && e[1].message.contains("20 of 20 (100.0 %; chance 33.3 %)"),
            "{}",
            e[1]
        );
        let qs: Vec<Question> = (0..20).map(|i| echo_question(i, i < 6)).collect();
        assert_eq!(
            with_code(&lint_cues(&qs, &[]), STEM_ECHO_RATE),
            Vec::<&Diagnostic>::new()
        );

        let odd = |n: usize| {
            q(
                n,
                "t",
                ("Сұрақ", "Вопрос"),
                &[
                    ("Нұсқаулық бойынша", "По инструкции"),
                    ("Тек түнде", "Только ночью"),
                    ("Ешқашан", "Никогда"),
                    ("Әрқашан", "Всегда"),
                ],
                0,
            )
        };
        let qs: Vec<Question> = (0..8).map(odd).collect();
        let diags = lint_cues(&qs, &[]);
        let o = with_code(&diags, ODD_ONE_OUT_RATE);
        assert_eq!(o.len(), 2, "{diags:#?}");
        assert!(
            o[0].message.contains("8 of 8 (100.0 %; chance 25.0 %)"),
            "{}",
            o[0]
        );
    }

    #[test]
    fn codes_show_in_the_display() {
        let d = Diagnostic::warning("questions", None, "x").with_code(LONGEST_RATE);
        assert_eq!(d.to_string(), "questions: warning[cue-longest-rate]: x");
    }
}
