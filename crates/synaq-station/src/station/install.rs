//! Banks and rosters from removable media or a pull: every check first, kept on disk whole,
//! then in use.

use super::*;

impl Station {
    pub(super) fn exam_open(&mut self) -> bool {
        self.engine
            .as_mut()
            .ok()
            .and_then(|e| e.status().ok())
            .is_some_and(|s| s.state != State::Finished)
    }

    pub(super) fn read_import(path: &str) -> R<Vec<u8>> {
        std::fs::read(path.trim()).map_err(|e| {
            eprintln!("synaq-kiosk: import {}: {e}", path.trim());
            Code::from(Refusal::FileUnreadable)
        })
    }

    pub(super) fn keep(&self, bytes: &[u8], name: &str) -> R<()> {
        // After a power cut the kiosk has either the old file or the new one.
        synaq_seal::fs::write_atomic(&self.dir.join(name), bytes).map_err(|e| {
            eprintln!("synaq-kiosk: keeping {name}: {e}");
            Code::new("store-db")
        })
    }

    /// Imports a bank file (from removable media): every check, then it replaces the bank.
    pub fn import_bank(&mut self, token: &str, path: &str, now: i64) -> R<ImportVerdict> {
        let me = self.require_admin(token)?;
        if self.exam_open() {
            return err(Refusal::ImportExamOpen);
        }
        let done = Self::read_import(path).and_then(|bytes| self.install_bank(&bytes, now));
        self.journal_import(&me, path, done)
    }

    /// Journals what an import from removable media did: the verdict, or the refusal's code.
    fn journal_import(&mut self, by: &str, path: &str, done: R<ImportVerdict>) -> R<ImportVerdict> {
        let file = Path::new(path.trim())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match &done {
            Ok(v) => self.journal_staff(
                match v.kind {
                    ImportKind::Bank => Kind::BankImported,
                    ImportKind::Roster => Kind::RosterImported,
                },
                serde_json::json!({
                    "by": by, "file": file, "name": v.name, "version": v.version, "count": v.count,
                }),
            )?,
            Err(e) => self.journal_staff(
                Kind::ImportRefused,
                serde_json::json!({ "by": by, "file": file, "code": e.id() }),
            )?,
        }
        done
    }

    /// Checks a bank (signature, this kiosk's stanza, validity, no rollback) and puts it to use.
    pub(super) fn install_bank(&mut self, bytes: &[u8], now: i64) -> R<ImportVerdict> {
        let issuer = self.keys.issuer()?;
        let key = self.keys.kiosk()?;
        let opened = crate::load::open_then(bytes, &issuer, &key, &self.dir, now, || {
            self.keep(bytes, crate::load::BANK_FILE)
                .map_err(|e| LoadError {
                    detail: e.to_string(),
                    code: e,
                })
        })?;
        let verdict = ImportVerdict {
            kind: ImportKind::Bank,
            name: opened.header.series.clone(),
            version: opened.header.version as u32,
            count: opened.content.questions.len() as u32,
            valid_until: office_date(self.zone, opened.header.not_after * 1000),
        };
        self.use_bank(Ok(opened));
        Ok(verdict)
    }

    /// Imports a roster file: every check, then it replaces today's roster.
    pub fn import_roster(&mut self, token: &str, path: &str, now: i64) -> R<ImportVerdict> {
        let me = self.require_admin(token)?;
        let done = Self::read_import(path).and_then(|bytes| self.install_roster(&bytes, now));
        self.journal_import(&me, path, done)
    }

    /// Checks a roster (signature, validity, no rollback) and puts it to use.
    pub(super) fn install_roster(&mut self, bytes: &[u8], now: i64) -> R<ImportVerdict> {
        let issuer = self.keys.issuer()?;
        let roster = crate::roster::open(bytes, &issuer, &self.dir, now)?;
        self.keep(bytes, crate::load::ROSTER_FILE)?;
        let (branch, version, entries, not_after) = roster.summary();
        self.roster = Ok(roster);
        Ok(ImportVerdict {
            kind: ImportKind::Roster,
            name: branch,
            version: version as u32,
            count: entries as u32,
            valid_until: office_date(self.zone, not_after * 1000),
        })
    }
}
