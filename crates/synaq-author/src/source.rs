//! Loading a whole bank source directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use synaq_core::{ExamProfile, ProfileError};

use crate::config::{self, ImportConfig};
use crate::lines::Lines;
use crate::{
    format_by_extension, import_partial_as, lints, pair, read_text, sheet, Diagnostic, Format,
    Loaded, Origin, Source,
};

/// Loads `DIR/profile.toml`, `DIR/import.toml` when there is one (see [`config`]), every
/// question file under `DIR/questions/` (recursively, in path order: `*.toml` native, `*.xml`
/// Moodle XML or QTI by root element, `*.gift` GIFT, `*.csv` and `*.xlsx` spreadsheets),
/// pairs the Kazakh and Russian files `import.toml` names, loads every file under
/// `DIR/media/`, then runs every [lint](crate::lints).
///
/// Diagnostics name files relative to `dir` (`questions/fire.toml`). Files and folders whose
/// names start with `.` are skipped; any other file in `questions/` that is not a question
/// file is an error (`file-skipped`), since the bank would silently lack its questions,
/// unless `import.toml` says to ignore it. When any question file had an error, the lints that count
/// questions per category or look for unused media are not run, as their findings would be
/// misleading.
///
/// Returns the source with its warnings, or every diagnostic when at least one is an error.
pub fn load_source_dir(dir: &Path) -> Loaded<Source> {
    let draft = load_draft(dir);
    match draft.source {
        Some(source) if !crate::has_errors(&draft.diagnostics) => Ok((source, draft.diagnostics)),
        _ => Err(draft.diagnostics),
    }
}

/// A source as far as it could be read, errors or not: what a preview shows.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The source, when `profile.toml` could be read (its questions may still have errors).
    pub source: Option<Source>,
    /// The questions when the profile could not be read (otherwise in `source`).
    pub questions: Vec<synaq_core::Question>,
    /// Every diagnostic, lints included.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a source like [`load_source_dir`], keeping what could be read even when there are
/// errors; the questions that had errors themselves are not in it.
pub fn load_draft(dir: &Path) -> Draft {
    let mut diags = Vec::new();

    let profile_rel = PathBuf::from("profile.toml");
    let profile = match read_text(&dir.join(&profile_rel), &profile_rel) {
        Ok(text) => match parse_profile(&text) {
            Ok(p) => Some((text, p)),
            Err(d) => {
                diags.push(d);
                None
            }
        },
        Err(d) => {
            diags.push(d);
            None
        }
    };

    let mut questions = Vec::new();
    let mut origins: Vec<Origin> = Vec::new();
    let mut media: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut media_from: BTreeMap<String, PathBuf> = BTreeMap::new();

    let config = if dir.join(config::FILE_NAME).is_file() {
        match read_text(&dir.join(config::FILE_NAME), Path::new(config::FILE_NAME)) {
            Ok(text) => match ImportConfig::parse(&text) {
                Ok(c) => c,
                Err(d) => {
                    diags.extend(d);
                    ImportConfig::default()
                }
            },
            Err(d) => {
                diags.push(d);
                ImportConfig::default()
            }
        }
    } else {
        ImportConfig::default()
    };

    let qdir = dir.join("questions");
    if qdir.is_dir() {
        let files = walk(dir, Path::new("questions"), &mut diags);
        diags.extend(config.unmatched(&files));
        for rel in files {
            let under = rel.strip_prefix("questions").unwrap_or(&rel);
            let settings = config.settings(&under.to_string_lossy());
            if settings.ignore {
                diags.push(
                    Diagnostic::warning(&rel, None, "left out (ignore = true in import.toml)")
                        .with_code("file-ignored"),
                );
                continue;
            }
            let format = match settings.format {
                Some(Format::MoodleXml | Format::Qti) => Some(None),
                Some(f) => Some(Some(f)),
                None => format_by_extension(&rel),
            };
            if format.is_none() {
                diags.push(
                    Diagnostic::error(
                        &rel,
                        None,
                        "not a question file (.toml, .xml, .gift, .csv or .xlsx), so the bank \
                         would be built without it: if it is a GIFT export (Moodle saves them \
                         as .txt), rename it to .gift or set format = \"gift\" for it in \
                         import.toml; to build without it, set ignore = true for it there",
                    )
                    .with_code("file-skipped"),
                );
                continue;
            }
            let (imported, d) = if format == Some(Some(Format::Xlsx)) {
                match fs::read(dir.join(&rel)) {
                    Ok(bytes) => sheet::parse_xlsx(&rel, &bytes, &settings.options),
                    Err(e) => {
                        diags.push(Diagnostic::error(&rel, None, format!("cannot read: {e}")));
                        continue;
                    }
                }
            } else {
                let text = match read_text(&dir.join(&rel), &rel) {
                    Ok(t) => t,
                    Err(d) => {
                        diags.push(d);
                        continue;
                    }
                };
                import_partial_as(&rel, &text, format, &settings.options)
            };
            diags.extend(d);
            questions.extend(imported.questions);
            origins.extend(imported.origins);
            for (key, bytes) in imported.media {
                add_media(&mut media, &mut media_from, key, bytes, &rel, &mut diags);
            }
        }
        let mut lists = std::collections::HashMap::new();
        for (i, p) in config.pairs.iter().enumerate() {
            let Some(list) = &p.list else { continue };
            let rel = PathBuf::from(list);
            match read_text(&dir.join(&rel), &rel)
                .map_err(|d| vec![d])
                .and_then(|text| pair::read_list(&rel, &text))
            {
                Ok(rows) => {
                    lists.insert(i, rows);
                }
                Err(d) => diags.extend(d),
            }
        }
        let (q, o, d) = pair::pair_all(&config.pairs, &lists, questions, origins);
        questions = q;
        origins = o;
        diags.extend(d);
    } else {
        diags.push(Diagnostic::error(
            "questions",
            None,
            "no questions/ folder in the source",
        ));
    }

    if dir.join("media").is_dir() {
        for rel in walk(dir, Path::new("media"), &mut diags) {
            let Some(key) = key_of(&rel) else {
                diags.push(Diagnostic::error(&rel, None, "file name is not UTF-8"));
                continue;
            };
            match fs::read(dir.join(&rel)) {
                Ok(bytes) => add_media(&mut media, &mut media_from, key, bytes, &rel, &mut diags),
                Err(e) => diags.push(Diagnostic::error(&rel, None, format!("cannot read: {e}"))),
            }
        }
    }

    let import_failed = crate::has_errors(&diags);
    let Some((profile_toml, profile)) = profile else {
        diags.extend(lints::lint_questions(&questions, &origins));
        return Draft {
            source: None,
            questions,
            diagnostics: diags,
        };
    };
    let source = Source {
        profile_toml,
        profile,
        questions,
        origins,
        media,
    };
    diags.extend(lints::lint_questions(&source.questions, &source.origins));
    if !import_failed {
        diags.extend(lints::lint_bank(&source));
    }
    Draft {
        source: Some(source),
        questions: Vec::new(),
        diagnostics: diags,
    }
}

/// Adds a media file, reporting a different file under the same key.
fn add_media(
    media: &mut BTreeMap<String, Vec<u8>>,
    from: &mut BTreeMap<String, PathBuf>,
    key: String,
    bytes: Vec<u8>,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) {
    match media.get(&key) {
        Some(existing) if *existing != bytes => diags.push(Diagnostic::error(
            file,
            None,
            format!(
                "{key} differs from the {key} already given by {}",
                from.get(&key)
                    .map_or_else(String::new, |p| p.display().to_string())
            ),
        )),
        Some(_) => {}
        None => {
            media.insert(key.clone(), bytes);
            from.insert(key, file.to_path_buf());
        }
    }
}

/// `media/a/x.png` as a key with `/` separators.
fn key_of(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// Every file under `base/sub`, as paths relative to `base`, sorted; hidden entries skipped.
/// Symbolic links are followed, at most [`MAX_DEPTH`] folders deep.
fn walk(base: &Path, sub: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![(sub.to_path_buf(), 0)];
    while let Some((rel, depth)) = dirs.pop() {
        if depth > MAX_DEPTH {
            diags.push(Diagnostic::error(
                &rel,
                None,
                format!("folders nested more than {MAX_DEPTH} deep (a link loop?); skipped"),
            ));
            continue;
        }
        let entries = match fs::read_dir(base.join(&rel)) {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(
                    &rel,
                    None,
                    format!("cannot read folder: {e}"),
                ));
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let child = rel.join(&name);
            if entry.path().is_dir() {
                dirs.push((child, depth + 1));
            } else {
                files.push(child);
            }
        }
    }
    files.sort();
    files
}

/// How deep [`walk`] goes.
const MAX_DEPTH: usize = 32;

/// Parses `profile.toml`, with a line number when one can be found.
fn parse_profile(text: &str) -> Result<ExamProfile, Diagnostic> {
    let file = "profile.toml";
    if let Err(e) = toml::from_str::<toml::Table>(text) {
        let line = e.span().map(|s| Lines::new(text).line(s.start));
        return Err(Diagnostic::error(
            file,
            line,
            e.message().trim().to_string(),
        ));
    }
    ExamProfile::from_toml(text).map_err(|e| match e {
        ProfileError::Syntax(msg) => {
            // toml's report: "TOML parse error at line N, column M\n…\nmessage".
            let line = msg
                .strip_prefix("TOML parse error at line ")
                .and_then(|r| r.split(',').next())
                .and_then(|n| n.trim().parse().ok());
            let last = msg
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            Diagnostic::error(
                file,
                line,
                format!("exam profile is not valid: {}", last.trim()),
            )
        }
        other => Diagnostic::error(file, None, other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_errors_have_lines() {
        let d = parse_profile("id = \"x\"\nversion = \n").unwrap_err();
        assert_eq!(d.line, Some(2), "{d}");
        let d = parse_profile("id = \"x\"\nversion = 1\nfoo = 2\n").unwrap_err();
        assert!(d.message.contains("exam profile"), "{d}");
        assert!(d.line.is_some(), "{d}");
    }

    #[test]
    fn media_keys_use_slashes() {
        assert_eq!(
            key_of(&Path::new("media").join("a").join("x.png")).as_deref(),
            Some("media/a/x.png")
        );
    }
}
