//! `import.toml`: what the author says about question files that the files cannot say
//! themselves. Optional; a source without it reads every file as it is.
//!
//! ```toml
//! # Which language a one-language export is in, what to do with sound, which topic.
//! [[file]]
//! path = "moodle/fire-ru.xml"     # a file or a folder under questions/
//! language = "ru"                 # untagged text is Russian (otherwise an error)
//! without_media = true            # import questions whose sound or video is dropped
//! topic = "fire"                  # for files that name no topic
//! categories = ["cat-1", "cat-2"] # for questions that name no category
//! format = "gift"                 # read as GIFT (Moodle saves GIFT exports as .txt)
//! ignore = true                   # leave the file out on purpose
//!
//! # A Moodle category (and its subcategories) to a topic and exam categories.
//! [[category]]
//! path = "$course$/top/Өрт қауіпсіздігі"
//! topic = "fire"
//! categories = ["cat-1", "cat-2"]
//!
//! # The Kazakh and the Russian export of the same questions, made into one.
//! [[pair]]
//! kk = "moodle/fire-kk.xml"
//! ru = "moodle/fire-ru.xml"
//! by = "position"                 # or "id", or "list" with list = "pairs.csv"
//! ```
//!
//! For a file, every `[[file]]` whose `path` is the file or one of its folders applies, the
//! more specific (longer) path last, so it wins field by field. `docs/formats/sources.md`
//! describes the whole of it.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use synaq_core::{CategoryId, Lang};

use crate::lines::Lines;
use crate::{CategoryRule, Diagnostic, Format, ReadOptions};

/// The name of the file in the source directory.
pub const FILE_NAME: &str = "import.toml";

/// `import.toml`, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportConfig {
    /// The `[[file]]` rules, in file order.
    pub files: Vec<FileRule>,
    /// The `[[category]]` rules.
    pub categories: Vec<CategoryRule>,
    /// The `[[pair]]` tables.
    pub pairs: Vec<Pair>,
}

/// A `[[file]]` table: what applies to a file or every file under a folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileRule {
    /// Under `questions/`, with `/` separators.
    pub path: String,
    pub language: Option<Lang>,
    pub without_media: Option<bool>,
    pub topic: Option<String>,
    pub categories: Option<Vec<CategoryId>>,
    pub format: Option<Format>,
    pub ignore: Option<bool>,
    /// Its line in `import.toml`.
    pub line: usize,
}

/// How the questions of a pair of files are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairBy {
    /// The same question id in both files (ids from `<idnumber>`, titles or id columns).
    Id,
    /// The n-th question of the n-th category of one file with the same of the other.
    Position,
    /// As a pairing file says: a CSV under the source directory with columns `kk` and `ru`,
    /// one pair of question ids per row.
    List,
}

/// A `[[pair]]` table: the Kazakh and the Russian file of the same questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The Kazakh file, under `questions/`.
    pub kk: String,
    /// The Russian file, under `questions/`.
    pub ru: String,
    pub by: PairBy,
    /// The pairing file for [`PairBy::List`], relative to the source directory.
    pub list: Option<String>,
    /// Its line in `import.toml`.
    pub line: usize,
}

/// What applies to one file: how to read it, or that it is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSettings {
    pub options: ReadOptions,
    /// Read in this format whatever the extension.
    pub format: Option<Format>,
    /// Left out on purpose.
    pub ignore: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    file: Vec<toml::Spanned<RawFile>>,
    #[serde(default)]
    category: Vec<toml::Spanned<RawCategory>>,
    #[serde(default)]
    pair: Vec<toml::Spanned<RawPair>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    path: String,
    language: Option<String>,
    without_media: Option<bool>,
    topic: Option<String>,
    categories: Option<Vec<CategoryId>>,
    format: Option<String>,
    ignore: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    path: String,
    topic: String,
    #[serde(default)]
    categories: Vec<CategoryId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    kk: String,
    ru: String,
    by: Option<String>,
    list: Option<String>,
}

/// `a\b/./c/` → `a/b/c`.
fn norm(path: &str) -> String {
    path.replace('\\', "/")
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

impl ImportConfig {
    /// Parses `import.toml`; every problem with its line.
    pub fn parse(text: &str) -> Result<ImportConfig, Vec<Diagnostic>> {
        let file = Path::new(FILE_NAME);
        let lines = Lines::new(text);
        let raw: Raw = toml::from_str(text).map_err(|e| {
            vec![Diagnostic::error(
                file,
                e.span().map(|s| lines.line(s.start)),
                e.message().trim().to_string(),
            )]
        })?;
        let mut diags = Vec::new();
        let mut out = ImportConfig::default();
        for f in raw.file {
            let line = lines.line(f.span().start);
            let f = f.into_inner();
            let language = match f.language.as_deref() {
                None => None,
                Some("kk") => Some(Lang::Kk),
                Some("ru") => Some(Lang::Ru),
                Some(other) => {
                    diags.push(Diagnostic::error(
                        file,
                        Some(line),
                        format!("language {other:?}: expected \"kk\" or \"ru\""),
                    ));
                    None
                }
            };
            let format = match f.format.as_deref() {
                None => None,
                Some("gift") => Some(Format::Gift),
                Some("moodle-xml" | "qti" | "xml") => Some(Format::MoodleXml),
                Some("toml") => Some(Format::Native),
                Some("csv") => Some(Format::Csv),
                Some("xlsx") => Some(Format::Xlsx),
                Some(other) => {
                    diags.push(Diagnostic::error(
                        file,
                        Some(line),
                        format!(
                            "format {other:?}: expected \"gift\", \"xml\", \"toml\", \"csv\" or \
                             \"xlsx\""
                        ),
                    ));
                    None
                }
            };
            out.files.push(FileRule {
                path: norm(&f.path),
                language,
                without_media: f.without_media,
                topic: f.topic,
                categories: f.categories,
                format,
                ignore: f.ignore,
                line,
            });
        }
        for c in raw.category {
            let c = c.into_inner();
            out.categories.push(CategoryRule {
                path: c.path,
                topic: c.topic,
                categories: c.categories,
            });
        }
        for p in raw.pair {
            let line = lines.line(p.span().start);
            let p = p.into_inner();
            let by = match p.by.as_deref() {
                None | Some("id") => PairBy::Id,
                Some("position") => PairBy::Position,
                Some("list") => PairBy::List,
                Some(other) => {
                    diags.push(Diagnostic::error(
                        file,
                        Some(line),
                        format!("by = {other:?}: expected \"id\", \"position\" or \"list\""),
                    ));
                    PairBy::Id
                }
            };
            if (by == PairBy::List) != p.list.is_some() {
                diags.push(Diagnostic::error(
                    file,
                    Some(line),
                    "by = \"list\" and list = \"pairs.csv\" (the pairing file) go together",
                ));
            }
            out.pairs.push(Pair {
                kk: norm(&p.kk),
                ru: norm(&p.ru),
                by,
                list: p.list.as_deref().map(norm),
                line,
            });
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(diags)
        }
    }

    /// What applies to `rel`, a path under `questions/` (`fire/a.xml`).
    pub fn settings(&self, rel: &str) -> FileSettings {
        let rel = norm(rel);
        let mut rules: Vec<&FileRule> = self
            .files
            .iter()
            .filter(|r| {
                r.path.is_empty() || rel == r.path || rel.starts_with(&format!("{}/", r.path))
            })
            .collect();
        rules.sort_by_key(|r| r.path.split('/').count() * usize::from(!r.path.is_empty()));
        let mut s = FileSettings {
            options: ReadOptions {
                category_map: self.categories.clone(),
                ..ReadOptions::default()
            },
            ..FileSettings::default()
        };
        for r in rules {
            if let Some(l) = r.language {
                s.options.language = Some(l);
            }
            if let Some(m) = r.without_media {
                s.options.without_media = m;
            }
            if let Some(t) = &r.topic {
                s.options.topic = Some(t.clone());
            }
            if let Some(c) = &r.categories {
                s.options.categories = c.clone();
            }
            if let Some(f) = r.format {
                s.format = Some(f);
            }
            if let Some(i) = r.ignore {
                s.ignore = i;
            }
        }
        // A paired file's language is the side it is on.
        for p in &self.pairs {
            if p.kk == rel {
                s.options.language = Some(Lang::Kk);
            } else if p.ru == rel {
                s.options.language = Some(Lang::Ru);
            }
        }
        s
    }

    /// Paths named by `[[file]]` and `[[pair]]` that match no file under `questions/`.
    pub(crate) fn unmatched(&self, files: &[PathBuf]) -> Vec<Diagnostic> {
        let rels: Vec<String> = files
            .iter()
            .map(|f| norm(&f.strip_prefix("questions").unwrap_or(f).to_string_lossy()))
            .collect();
        let any = |p: &str| {
            p.is_empty()
                || rels
                    .iter()
                    .any(|r| r == p || r.starts_with(&format!("{p}/")))
        };
        let mut out = Vec::new();
        for r in &self.files {
            if !any(&r.path) {
                out.push(Diagnostic::warning(
                    FILE_NAME,
                    Some(r.line),
                    format!(
                        "[[file]] path {:?} matches no file under questions/",
                        r.path
                    ),
                ));
            }
        }
        for p in &self.pairs {
            for side in [&p.kk, &p.ru] {
                if !rels.contains(side) {
                    out.push(
                        Diagnostic::error(
                            FILE_NAME,
                            Some(p.line),
                            format!("[[pair]] file {side:?} is not under questions/"),
                        )
                        .with_code("pair-missing"),
                    );
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_more_specific_rule_wins_and_pairs_set_the_language() {
        let c = ImportConfig::parse(
            r#"
[[file]]
path = "moodle/fire.txt"
format = "gift"
language = "kk"

[[file]]
path = "moodle"
language = "ru"
without_media = true
categories = ["cat-1"]

[[pair]]
kk = "a/kk.xml"
ru = "./a/ru.xml"
by = "position"
"#,
        )
        .unwrap();
        let s = c.settings("moodle/fire.txt");
        assert_eq!(s.format, Some(Format::Gift));
        assert_eq!(s.options.language, Some(Lang::Kk));
        assert!(s.options.without_media);
        assert_eq!(s.options.categories.len(), 1);
        let s = c.settings("moodle/other.xml");
        assert_eq!(s.options.language, Some(Lang::Ru));
        assert_eq!(c.settings("a/ru.xml").options.language, Some(Lang::Ru));
        assert_eq!(
            c.settings("b.xml"),
            FileSettings {
                options: ReadOptions::default(),
                ..FileSettings::default()
            }
        );
        assert_eq!(c.pairs[0].by, PairBy::Position);
        assert_eq!(c.pairs[0].line, 13);
    }

    #[test]
    fn problems_have_lines() {
        let e = ImportConfig::parse("[[file]]\npath = \"a\"\nlanguage = \"kz\"\n").unwrap_err();
        assert_eq!(
            (e[0].line, e[0].message.as_str()),
            (Some(1), "language \"kz\": expected \"kk\" or \"ru\"")
        );
        let e = ImportConfig::parse("[[file]]\npath = \"a\"\nlang = \"kk\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(3), "{}", e[0]);
    }
}
