//! Question-bank sources: loading the formats authors write in, and the checks a bank must
//! pass before it is built.
//!
//! A bank **source directory** looks like this:
//!
//! ```text
//! bank/
//!   profile.toml          the exam profile (see synaq_core::ExamProfile)
//!   import.toml           optional: languages, topics, pairs (see [`config`])
//!   questions/            question files, in any folder structure
//!     training.toml       native format (see [`native`])
//!     fire/export.xml     Moodle XML (see [`moodle`]) or IMS QTI 2.1 / 3.0 (see [`qti`])
//!     electrical.gift     GIFT (see [`gift`])
//!     lifting.xlsx        one question per row, also .csv (see [`sheet`])
//!   media/                images the questions show, referred to as "media/…"
//!     sign-no-flame.png
//! ```
//!
//! [`load_source_dir`] reads all of it, runs the [`lints`] and returns every diagnostic;
//! [`import_file`] reads one question file. Every problem is a [`Diagnostic`] that names the
//! file and, when known, the line.
//!
//! Conventions shared by the imported formats (Moodle XML, GIFT, QTI):
//!
//! * **Bilingual text** follows Moodle's multilang conventions: text inside
//!   `<span lang="kk" class="multilang">…</span>` (or `{mlang kk}…{mlang}`, or in QTI an
//!   element with `xml:lang="kk"`) is Kazakh; likewise `ru` (Russian) and `en` (operators'
//!   English, optional). Text outside any language block belongs to every language, as in
//!   Moodle. A question whose text has no language block at all (and has letters) is an
//!   error (`text-no-language`) unless the file's language is given ([`ReadOptions::language`],
//!   `language = "ru"` in `import.toml`): then its text and options are that language only.
//!   An option without blocks in a question with blocks is shared, with a warning. A language
//!   with no text of its own fails validation, unless a paired file gives it.
//! * **Sound and video** cannot be played on the kiosk: a question that has them is an error
//!   (`media-not-playable`) unless [`ReadOptions::without_media`] imports it without them.
//! * **HTML** is reduced to its text: tags are dropped, entities decoded, whitespace
//!   collapsed to single spaces.
//! * **Images**: one `<img>` per question text becomes the question's image. Its path is
//!   normalised into `media/` (`x.png`, `./x.png` and `media/x.png` all mean `media/x.png`);
//!   images from the web (`http:`, `data:` …) are refused, as the kiosk is offline. The `alt`
//!   attribute gives the text alternative; it may itself use the `{mlang}` form, or the image
//!   may be repeated inside each language block with that language's `alt`. Images inside
//!   answer options are refused.
//! * **Option ids** are `a`, `b`, `c`, … in the order written (QTI keeps its own identifiers,
//!   see [`qti`]).
//! * **Version** is 1 unless the format's convention says otherwise.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use synaq_core::{CategoryId, ExamProfile, Lang, Question};

pub mod config;
pub mod cues;
pub mod diff;
pub mod gift;
pub mod lints;
pub mod moodle;
pub mod native;
pub mod preview;
pub mod qti;
pub mod sheet;

mod ids;
mod lines;
mod pair;
mod rich;
mod source;
mod xml;

pub use lints::{lint, lint_questions};
pub use source::{load_draft, load_source_dir, Draft};

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The bank cannot be built until this is fixed.
    Error,
    /// Worth a look, but the bank can be built.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A problem found in a source, with where it is.
///
/// Displays as `questions/fire.toml:12: error: …` (without `:12` when the line is unknown), or
/// `questions: warning[cue-longest-rate]: …` when the problem has a [code](Diagnostic::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{}{}: {severity}{}: {message}",
    file.display(),
    line.map(|l| format!(":{l}")).unwrap_or_default(),
    code.map(|c| format!("[{c}]")).unwrap_or_default()
)]
pub struct Diagnostic {
    /// The file, relative to the source directory for [`load_source_dir`], as given for
    /// [`import_file`].
    pub file: PathBuf,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// A stable name for the kind of problem (`cue-longest-rate`), for the lints that have
    /// one (see [`cues`]); tools and tests match on it rather than on the wording.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    /// An error at `file:line`.
    pub fn error(
        file: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            severity: Severity::Error,
            message: message.into(),
            code: None,
        }
    }

    /// The same problem with a stable [code](Diagnostic::code).
    pub fn with_code(self, code: &'static str) -> Self {
        Diagnostic {
            code: Some(code),
            ..self
        }
    }

    /// A warning at `file:line`.
    pub fn warning(
        file: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, message)
        }
    }

    /// Whether this is an [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Whether any of `diagnostics` is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Where a question was written: its file and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The file, named as in [`Diagnostic::file`].
    pub file: PathBuf,
    /// The 1-based line the question starts on, when known.
    pub line: Option<usize>,
    /// The Moodle category path the question was under (`$course$/top/fire`), for formats
    /// that have one; pairing by position counts within it.
    pub group: Option<String>,
}

/// The question file formats Synaq reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `*.toml`, see [`native`].
    Native,
    /// `*.xml` with a `<quiz>` root, see [`moodle`].
    MoodleXml,
    /// `*.gift`, see [`gift`].
    Gift,
    /// `*.xml` with an `assessmentItem` / `qti-assessment-item` root, see [`qti`].
    Qti,
    /// `*.csv`, one question per row, see [`sheet`].
    Csv,
    /// `*.xlsx`, one question per row of the first sheet, see [`sheet`].
    Xlsx,
}

/// What one question file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The questions, in file order.
    pub questions: Vec<Question>,
    /// Where each question starts: `origins[i]` belongs to `questions[i]`.
    pub origins: Vec<Origin>,
    /// Images embedded in the file (Moodle XML), keyed by their `media/…` path.
    pub media: BTreeMap<String, Vec<u8>>,
}

impl Imported {
    fn push(&mut self, question: Question, file: &Path, line: Option<usize>) {
        self.push_in(question, file, line, None);
    }

    fn push_in(
        &mut self,
        question: Question,
        file: &Path,
        line: Option<usize>,
        group: Option<&str>,
    ) {
        self.questions.push(question);
        self.origins.push(Origin {
            file: file.to_path_buf(),
            line,
            group: group.map(str::to_string),
        });
    }
}

/// How to read one question file, beyond what the file itself says: what the source's
/// `import.toml` gives for it (see [`config`]). The default reads a file as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The language of text that has no language block at all. Without it such text is an
    /// error (`text-no-language`): Synaq never guesses whether a text is Kazakh or Russian.
    pub language: Option<Lang>,
    /// Import questions that play sound or video, without it (a warning, `media-dropped`);
    /// otherwise such a question is refused (`media-not-playable`).
    pub without_media: bool,
    /// The topic of questions whose file names none (QTI without `topic=`, GIFT without
    /// `$CATEGORY`), and of every question when `category_map` has no rule for its category.
    pub topic: Option<String>,
    /// The categories of questions that name none.
    pub categories: Vec<CategoryId>,
    /// Moodle category paths mapped to a topic and categories.
    pub category_map: Vec<CategoryRule>,
}

/// A Moodle category path (and its subcategories) mapped to a topic and exam categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRule {
    /// `$course$/top/Өрт қауіпсіздігі`, compared segment by segment, spaces trimmed.
    pub path: String,
    /// The topic of its questions.
    pub topic: String,
    /// The categories of its questions that name none themselves.
    pub categories: Vec<CategoryId>,
}

/// The segments of a category path, trimmed, without empty ones.
fn segments(path: &str) -> Vec<&str> {
    path.split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

impl ReadOptions {
    /// The rule for a category path: the one with the longest path that is the path itself
    /// or one of its parents.
    pub fn rule_for(&self, path: &str) -> Option<&CategoryRule> {
        let have = segments(path);
        self.category_map
            .iter()
            .filter(|r| {
                let want = segments(&r.path);
                !want.is_empty() && have.starts_with(&want)
            })
            .max_by_key(|r| segments(&r.path).len())
    }

    /// The topic and default categories of questions under a category path: a rule's, else
    /// the path's last segment (or `topic` when the path names none).
    pub(crate) fn place(&self, path: Option<&str>) -> Option<(String, Vec<CategoryId>)> {
        if let Some(rule) = path.and_then(|p| self.rule_for(p)) {
            return Some((rule.topic.clone(), rule.categories.clone()));
        }
        let topic = path
            .and_then(topic_from_category_path)
            .or_else(|| self.topic.clone())?;
        Some((topic, self.categories.clone()))
    }

    /// Decides the languages of a question whose text may have no language block: with the
    /// file's language, such text (and its options' and image's) is that language only;
    /// without it, an error. Text with language blocks is left alone.
    pub(crate) fn settle_language(
        &self,
        file: &Path,
        line: Option<usize>,
        id: &str,
        text: &mut rich::Rich,
        options: &mut [rich::Rich],
    ) -> Result<(), Diagnostic> {
        if !text.unmarked_letters {
            return Ok(());
        }
        let Some(lang) = self.language else {
            return Err(Diagnostic::error(
                file,
                line,
                format!(
                    "question {id}: the text has no language: mark Kazakh and Russian with \
                     multilang spans, or say which language the file is in (language = \"kk\" \
                     or \"ru\" in import.toml)"
                ),
            )
            .with_code("text-no-language"));
        };
        text.only(lang);
        for o in options {
            o.only(lang);
        }
        Ok(())
    }

    /// The diagnostic for sound or video a question plays: an error, or with
    /// [`without_media`](ReadOptions::without_media) a warning that it is dropped.
    pub(crate) fn media(
        &self,
        file: &Path,
        line: Option<usize>,
        id: &str,
        media: &[String],
    ) -> Option<Diagnostic> {
        if media.is_empty() {
            return None;
        }
        let list = media.join(", ");
        Some(if self.without_media {
            Diagnostic::warning(
                file,
                line,
                format!(
                    "question {id}: sound or video {list} dropped (without_media = true): the \
                     question is shown without it"
                ),
            )
            .with_code("media-dropped")
        } else {
            Diagnostic::error(
                file,
                line,
                format!(
                    "question {id}: plays sound or video ({list}), which the kiosk cannot \
                     play: remove it, or import the question without it (without_media = true \
                     in import.toml)"
                ),
            )
            .with_code("media-not-playable")
        })
    }
}

/// A whole bank source directory, loaded and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `profile.toml` as written.
    pub profile_toml: String,
    /// The parsed exam profile.
    pub profile: ExamProfile,
    /// Every question, files in path order and questions in file order.
    pub questions: Vec<Question>,
    /// Where each question was written: `origins[i]` belongs to `questions[i]`. May be left
    /// empty for a source built in code; lints then report without a place.
    pub origins: Vec<Origin>,
    /// Every media file, keyed by its path relative to the source directory with `/`
    /// separators (`media/x.png`); includes images embedded in Moodle XML.
    pub media: BTreeMap<String, Vec<u8>>,
}

/// The outcome of reading sources: the result with its warnings, or every diagnostic
/// (at least one of them an error).
pub type Loaded<T> = Result<(T, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Reads one question file, choosing the format by extension (`.toml`, `.gift`, `.xml`) and,
/// for XML, by root element. Does not run the [`lints`]: see [`lint_questions`].
pub fn import_file(path: &Path) -> Loaded<Imported> {
    import_file_with(path, &ReadOptions::default())
}

/// Like [`import_file`], with what `import.toml` would say about the file.
pub fn import_file_with(path: &Path, opts: &ReadOptions) -> Loaded<Imported> {
    if format_by_extension(path) == Some(Some(Format::Xlsx)) {
        return match std::fs::read(path) {
            Ok(bytes) => finish(sheet::parse_xlsx(path, &bytes, opts)),
            Err(e) => Err(vec![Diagnostic::error(
                path,
                None,
                format!("cannot read: {e}"),
            )]),
        };
    }
    let text = match read_text(path, path) {
        Ok(t) => t,
        Err(d) => return Err(vec![d]),
    };
    finish(import_partial_as(
        path,
        &text,
        format_by_extension(path),
        opts,
    ))
}

/// Like [`import_file`], for text already read; `path` names the file in diagnostics and
/// gives the format.
pub fn import_str(path: &Path, text: &str) -> Loaded<Imported> {
    finish(import_partial(path, text))
}

/// Turns a partial result into [`Loaded`]: `Err` when any diagnostic is an error.
fn finish<T>((value, diagnostics): (T, Vec<Diagnostic>)) -> Loaded<T> {
    if has_errors(&diagnostics) {
        Err(diagnostics)
    } else {
        Ok((value, diagnostics))
    }
}

/// The format of a question file: by extension (`.toml`, `.gift`, `.xml`, any case) and, for
/// XML, by the root element of `text`. `None` for anything else (including XML that is not
/// well-formed).
pub fn detect_format(path: &Path, text: &str) -> Option<Format> {
    match format_by_extension(path)? {
        Some(f) => Some(f),
        None => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            match xml::parse(text).ok()?.root.name.as_str() {
                "quiz" => Some(Format::MoodleXml),
                "assessmentItem" | "qti-assessment-item" => Some(Format::Qti),
                _ => None,
            }
        }
    }
}

/// The format of a question file, by its extension (case-insensitive); XML is decided later
/// by its root element.
fn format_by_extension(path: &Path) -> Option<Option<Format>> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "toml" => Some(Some(Format::Native)),
        "gift" => Some(Some(Format::Gift)),
        "csv" => Some(Some(Format::Csv)),
        "xlsx" => Some(Some(Format::Xlsx)),
        "xml" => Some(None),
        _ => None,
    }
}

/// Imports what can be imported, with every diagnostic.
fn import_partial(file: &Path, text: &str) -> (Imported, Vec<Diagnostic>) {
    import_partial_as(
        file,
        text,
        format_by_extension(file),
        &ReadOptions::default(),
    )
}

/// Imports a file in a format (`Some(None)`: XML, decided by its root), with options.
fn import_partial_as(
    file: &Path,
    text: &str,
    format: Option<Option<Format>>,
    opts: &ReadOptions,
) -> (Imported, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Some(Some(Format::Native)) => native::parse(file, text),
        Some(Some(Format::Gift)) => gift::parse_with(file, text, opts),
        Some(Some(Format::Csv)) => sheet::parse_csv(file, text, opts),
        Some(Some(Format::Xlsx)) => (
            Imported::default(),
            vec![Diagnostic::error(
                file,
                None,
                "an .xlsx workbook is not text: read it with import_file",
            )],
        ),
        Some(Some(Format::MoodleXml | Format::Qti)) | Some(None) => import_xml(file, text, opts),
        None => (
            Imported::default(),
            vec![Diagnostic::error(
                file,
                None,
                "unknown kind of question file: expected .toml, .xml, .gift, .csv or .xlsx",
            )],
        ),
    }
}

fn import_xml(file: &Path, text: &str, opts: &ReadOptions) -> (Imported, Vec<Diagnostic>) {
    let lines = lines::Lines::new(text);
    let doc = match xml::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            return (
                Imported::default(),
                vec![Diagnostic::error(
                    file,
                    Some(lines.line(e.pos)),
                    format!("not well-formed XML: {}", e.message),
                )],
            )
        }
    };
    match doc.root.name.as_str() {
        "quiz" => moodle::from_doc(file, &doc, &lines, opts),
        "assessmentItem" | "qti-assessment-item" => qti::from_doc(file, doc, &lines, opts),
        "manifest" => (
            Imported::default(),
            vec![Diagnostic::warning(
                file,
                Some(lines.line(doc.root.pos)),
                "IMS content package manifest ignored: items are read from their own files",
            )],
        ),
        other => (
            Imported::default(),
            vec![Diagnostic::error(
                file,
                Some(lines.line(doc.root.pos)),
                format!(
                    "unknown XML question format <{other}>: expected Moodle XML <quiz> or QTI \
                     <assessmentItem> / <qti-assessment-item>"
                ),
            )],
        ),
    }
}

/// Reads a UTF-8 file; `shown` names it in the diagnostic.
fn read_text(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(shown, None, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::error(shown, Some(line), "not UTF-8 text")
    })
}

/// Option ids `a`, `b`, … `z`, `aa`, `ab`, … for the option at `index`.
fn letter_id(index: usize) -> String {
    let mut n = index;
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The topic at the end of a Moodle category path: `$course$/top/fire` → `fire`.
fn topic_from_category_path(path: &str) -> Option<String> {
    let last = path
        .trim()
        .split('/')
        .map(str::trim)
        .rfind(|s| !s.is_empty())?;
    if last.starts_with('$') && last.ends_with('$') || last == "top" {
        return None;
    }
    Some(last.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_display_like_a_compiler() {
        let d = Diagnostic::error("questions/fire.toml", Some(12), "no option is correct");
        assert_eq!(
            d.to_string(),
            "questions/fire.toml:12: error: no option is correct"
        );
        let w = Diagnostic::warning("media/x.png", None, "not used");
        assert_eq!(w.to_string(), "media/x.png: warning: not used");
        assert!(d.is_error() && !w.is_error());
        assert!(has_errors(&[w.clone(), d]));
        assert!(!has_errors(&[w]));
    }

    #[test]
    fn letter_ids() {
        let ids: Vec<_> = [0, 1, 25, 26, 27, 51, 52].map(letter_id).into();
        assert_eq!(ids, ["a", "b", "z", "aa", "ab", "az", "ba"]);
    }

    #[test]
    fn topics_from_category_paths() {
        assert_eq!(
            topic_from_category_path("$course$/top/fire").as_deref(),
            Some("fire")
        );
        assert_eq!(
            topic_from_category_path(" $course$/top/Safety/electrical/ ").as_deref(),
            Some("electrical")
        );
        assert_eq!(topic_from_category_path("fire").as_deref(), Some("fire"));
        assert_eq!(topic_from_category_path("$course$/top"), None);
        assert_eq!(topic_from_category_path("$course$"), None);
        assert_eq!(topic_from_category_path(""), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Whatever the text, importing reports problems instead of panicking.
        #[test]
        fn importers_never_panic(
            prefix in 0usize..6,
            body in "[<>/=~#{}:%\\\\a-cрсәқ0-9 \n\"'&;!\\[\\]-]{0,120}",
        ) {
            let (name, head) = [
                ("q.toml", "[[question]]\n"),
                ("q.gift", "$CATEGORY: $course$/top/x\n\n::id::"),
                ("q.gift", "::a::{mlang kk}Б{mlang} {\n=<span lang=\"kk\">"),
                ("q.xml", "<quiz><question type=\"multichoice\"><questiontext><text>"),
                ("q.xml", "<assessmentItem identifier=\"x\"><itemBody><choiceInteraction>"),
                ("q.xml", ""),
            ][prefix];
            let _ = import_str(Path::new(name), &format!("{head}{body}"));
            let _ = rich::parse_html(&body);
        }
    }

    #[test]
    fn formats_are_detected() {
        let f = |p: &str, t: &str| detect_format(Path::new(p), t);
        assert_eq!(f("a/b.TOML", ""), Some(Format::Native));
        assert_eq!(f("b.gift", ""), Some(Format::Gift));
        assert_eq!(
            f("b.xml", "\u{feff}<?xml version=\"1.0\"?><quiz/>"),
            Some(Format::MoodleXml)
        );
        assert_eq!(f("b.xml", "<assessmentItem/>"), Some(Format::Qti));
        assert_eq!(f("b.xml", "<qti-assessment-item/>"), Some(Format::Qti));
        assert_eq!(f("b.xml", "<manifest/>"), None);
        assert_eq!(f("b.xml", "<quiz>"), None);
        assert_eq!(f("b.txt", ""), None);
        assert_eq!(f("gift", ""), None);
    }

    #[test]
    fn unknown_extensions_are_refused() {
        let err = import_str(Path::new("q.docx"), "").unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(err[0].message.contains("unknown kind"), "{}", err[0]);
    }
}
