//! The examinee: the exam's state, one question at a time without its correct answers,
//! answers that are on disk before the call returns, and the submission.

use super::*;

impl Station {
    pub fn exam_status(&mut self, token: &str) -> R<ExamStatus> {
        self.require_examinee(token)?;
        let zone = self.zone;
        let examinee = self.examinee_for_attempt()?;
        let engine = self.engine()?;
        let s = engine.status()?;
        let (_, cat, _) = engine
            .attempt_summary()
            .ok_or(Code::new("store-no-attempt"))?;
        let answers = engine.answers().cloned().unwrap_or_default();
        let flagged = engine.flagged();
        let grid = (0..s.total)
            .map(|p| GridCell {
                answered: answers.contains_key(&p),
                flagged: flagged.contains(&p),
            })
            .collect();
        let result = engine.last_result()?.map(|r| {
            let finished = zone.date_of_ms(r.finished_wall_ms);
            ResultView {
                percent_milli: r.score.percent_milli,
                correct: r.score.correct,
                total: r.score.total,
                passed: r.score.passed,
                finish_reason: FinishView::of(&r.finish_reason),
                retake_until: (!r.score.passed)
                    .then(|| time::format_dmy(cat.retake_until(finished))),
                date: time::format_dmy(finished),
            }
        });
        // In English, questions without an English text are shown in Russian: say so.
        let questions_in_russian = engine.bank().is_some_and(|bank| {
            engine.paper().is_some_and(|p| {
                p.items.iter().any(|i| {
                    bank.question(&i.question)
                        .is_some_and(|q| q.text.en.is_none())
                })
            })
        });
        let now = engine.wall_ms();
        let camera_notice = self
            .camera
            .flags
            .last()
            .filter(|(kind, at)| {
                now - at <= CAMERA_NOTICE_MS
                    && matches!(
                        kind.as_str(),
                        "camera-no-face" | "camera-several-faces" | "camera-covered"
                    )
            })
            .map(|(kind, _)| kind.clone());
        Ok(ExamStatus {
            state: state_view(s.state),
            remaining_ms: ms(s.remaining_ms),
            limit_ms: ms(s.limit_ms),
            name: examinee.name,
            masked_iin: examinee.masked_iin,
            category_number: cat.number,
            category_name: (&cat.name).into(),
            pass_percent: cat.pass_percent,
            grid,
            result,
            last_shown: s.last_shown.map(|p| p as u32),
            camera_notice,
            questions_in_russian,
        })
    }

    /// The examinee presses start after the identity and rules screens: the clock starts.
    pub fn start_exam(&mut self, token: &str) -> R<()> {
        self.require_examinee(token)?;
        self.engine()?.start()?;
        Ok(())
    }

    pub fn question(&mut self, token: &str, position: u32) -> R<QuestionView> {
        self.require_examinee(token)?;
        let media = Arc::clone(&self.media);
        let engine = self.engine()?;
        let q = engine.show(position as usize)?;
        let image = q.image.as_ref().and_then(|path| {
            media.get(path).map(|bytes| {
                let mime = if path.ends_with(".svg") {
                    "image/svg+xml"
                } else if path.ends_with(".jpg") || path.ends_with(".jpeg") {
                    "image/jpeg"
                } else {
                    "image/png"
                };
                format!("data:{mime};base64,{}", B64.encode(bytes))
            })
        });
        Ok(QuestionView {
            position,
            total: q.total as u32,
            text: (&q.text).into(),
            multiple: q.kind == QuestionKind::Multiple,
            options: q
                .options
                .iter()
                .map(|(id, text)| OptionView {
                    id: id.clone(),
                    text: text.into(),
                })
                .collect(),
            image,
            image_alt: q.image_alt.as_ref().map(Into::into),
            selected: q.selected.into_iter().collect(),
            flagged: q.flagged,
        })
    }

    pub fn answer(&mut self, token: &str, position: u32, options: Vec<String>) -> R<Saved> {
        self.require_examinee(token)?;
        let set: BTreeSet<String> = options.into_iter().collect();
        let s = self.engine()?.answer(position as usize, set)?;
        Ok(Saved {
            remaining_ms: ms(s.remaining_ms),
        })
    }

    pub fn flag(&mut self, token: &str, position: u32, flagged: bool) -> R<()> {
        self.require_examinee(token)?;
        self.engine()?.flag(position as usize, flagged)?;
        Ok(())
    }

    pub fn submit(&mut self, token: &str) -> R<()> {
        self.require_examinee(token)?;
        self.seal_evidence();
        self.engine()?.finish(FinishReason::Submitted)?;
        Ok(())
    }
}
