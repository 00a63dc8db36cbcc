//! The official paper certificate: one A4 page, Kazakh first and then Russian, as a PDF.
//!
//! ЕУМЦ renders the certificate once and every office prints the same bytes, so the
//! renderer is a pure function of [`CertificateDoc`]: no clock, no random ids. The PDF's
//! dates come from the certificate's issue date and its file id from its number, so two
//! renders of one certificate are byte-identical (a test holds this).
//!
//! - Text is shaped with rustybuzz (krilla's own shaper) and laid out here: words wrap at
//!   spaces only, never inside a word; when a field is too long for its box the whole page
//!   is set a step smaller, and a certificate that does not fit even at the smallest step is
//!   refused with [`PaperError::DoesNotFit`] instead of being cut.
//! - Noto Sans (Regular and Bold, from the `notosans` crate) is embedded as a subset with a
//!   Unicode map; it covers Ә Ғ Қ Ң Ө Ұ Ү Һ І. A character it lacks is refused
//!   ([`PaperError::MissingGlyph`]) rather than printed as a box.
//! - The QR code is drawn as vector squares from the `qrcode` crate's module matrix, 37 mm
//!   wide (never under 35 mm), with the verification URL, the number and the check
//!   code printed under it.
//! - The output is PDF/A-2u (checked by krilla's validator on every render).
//! - The ИИН is printed masked ([`Iin::masked`]); a QR text or URL that carries the full
//!   ИИН is refused ([`PaperError::FullIinInQr`]).
//!
//! Labels come from the shared Fluent catalogs (`paper-*`, and `cert-title` for the
//! document's one name, «сертификат» in both languages, as on the verification page and the
//! kiosk).
#![forbid(unsafe_code)]

use chrono::{Datelike, NaiveDate};
use krilla::color::rgb;
use krilla::configure::{Configuration, ValidationError, Validator};
use krilla::error::KrillaError;
use krilla::geom::{Path, PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use synaq_core::time::format_dmy;
use synaq_core::{Iin, Lang};
use synaq_i18n::{FluentValue, Localizer};

/// The same text in the two languages the certificate is printed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bilingual {
    /// Қазақша.
    pub kk: String,
    /// По-русски.
    pub ru: String,
}

impl Bilingual {
    /// Both languages at once.
    pub fn new(kk: impl Into<String>, ru: impl Into<String>) -> Bilingual {
        Bilingual {
            kk: kk.into(),
            ru: ru.into(),
        }
    }
}

/// Everything the paper shows, as plain data (central fills it from its registry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDoc {
    /// The certificate number, e.g. `KZOT-2026-7QK4-M2XD`.
    pub number: String,
    /// The holder's full name, as on the identity document.
    pub holder: String,
    /// The holder's ИИН; only [`Iin::masked`] is printed.
    pub iin: Iin,
    /// The category's number in the exam profile (1..=6 in the seed).
    pub category_number: u32,
    /// The category's name.
    pub category: Bilingual,
    /// The day of the knowledge check.
    pub checked_on: NaiveDate,
    /// Where the check took place: the territorial office (branch).
    pub place: Bilingual,
    /// The day ЕУМЦ issued the certificate (also the PDF's creation date).
    pub issued_on: NaiveDate,
    /// The last day the certificate is valid; `None` for no expiry.
    pub valid_until: Option<NaiveDate>,
    /// The issuer's full name (ЕУМЦ).
    pub issuer: Bilingual,
    /// The text the QR code carries: the verification URL with the signed token. Never the
    /// full ИИН.
    pub qr_text: String,
    /// The verification URL printed under the QR code for people who type it.
    pub verify_url: String,
    /// The short check code printed beside the number: typed on the verification page, it
    /// shows the holder's name (without it or the QR's token the page shows only the status).
    pub check_code: String,
    /// A reprint: the page says «КӨШІРМЕ / КОПИЯ» at the top, and the PDF's title too.
    pub copy: bool,
}

/// Why a certificate was not rendered. Nothing is written anywhere in any case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaperError {
    /// A field the paper must show is empty.
    #[error("certificate {number}: the field `{field}` is empty; fill it in the registry and render again")]
    EmptyField {
        /// The certificate number.
        number: String,
        /// The empty field.
        field: &'static str,
    },
    /// The QR text or the printed URL carries the holder's full ИИН (Law No. 94-V forbids it).
    #[error("certificate {number}: the QR text or verification URL contains the holder's full ИИН; only the signed token may go there")]
    FullIinInQr {
        /// The certificate number.
        number: String,
    },
    /// The QR text does not fit in a QR code.
    #[error("certificate {number}: the QR text cannot be encoded ({detail}); shorten the token or the URL")]
    Qr {
        /// The certificate number.
        number: String,
        /// What the encoder said.
        detail: String,
    },
    /// The font has no glyph for a character of a field.
    #[error("the font Noto Sans has no glyph for {ch:?} (U+{code:04X}) in {text:?}; check the text for look-alike or control characters")]
    MissingGlyph {
        /// The character.
        ch: char,
        /// Its code point.
        code: u32,
        /// The text it is in.
        text: String,
    },
    /// The fields are too long for one A4 page even at the smallest type.
    #[error("certificate {number}: the fields do not fit on one A4 page even at the smallest type; shorten the longest field (category, place or issuer)")]
    DoesNotFit {
        /// The certificate number.
        number: String,
    },
    /// The bundled font could not be read (a broken build).
    #[error("the bundled font {0} cannot be read; the build is broken")]
    Font(&'static str),
    /// The translations are missing or broken.
    #[error(transparent)]
    I18n(#[from] synaq_i18n::I18nError),
    /// krilla refused to write the PDF (for example a PDF/A rule was broken).
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// The renderer: the fonts and the translations, loaded once and reused for every certificate.
pub struct Paper {
    regular: Face,
    bold: Face,
    l10n: Localizer,
}

impl std::fmt::Debug for Paper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paper").finish_non_exhaustive()
    }
}

struct Face {
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
    upem: f32,
}

impl Face {
    fn load(name: &'static str, data: &'static [u8]) -> Result<Face, PaperError> {
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or(PaperError::Font(name))?;
        let pdf = Font::new(data.into(), 0).ok_or(PaperError::Font(name))?;
        let upem = f32::from(shaper.units_per_em() as u16);
        Ok(Face { pdf, shaper, upem })
    }
}

/// Renders `cert` with `paper`'s fonts and labels: the bytes of a one-page PDF/A-2u file.
pub fn render(cert: &CertificateDoc, paper: &Paper) -> Result<Vec<u8>, PaperError> {
    paper.render(cert)
}

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;
const MARGIN_X: f32 = 22.0 * MM;
const MARGIN_TOP: f32 = 17.0 * MM;
const MARGIN_BOTTOM: f32 = 16.0 * MM;
const QR_SIDE: f32 = 37.0 * MM;
/// 0.02 mm: closes the hairline gaps a renderer leaves between adjacent squares.
const QR_BLEED: f32 = 0.05;
const INK: (u8, u8, u8) = (0x14, 0x1e, 0x2b);
const GREY: (u8, u8, u8) = (0x55, 0x5f, 0x6b);
const FRAME: (u8, u8, u8) = (0x1f, 0x4e, 0x79);
/// Every catalog key the page uses (a missing key would print as the key itself).
#[cfg(test)]
const LABELS: [&str; 17] = [
    "cert-title",
    "paper-copy",
    "paper-check-code",
    "cert-no-expiry",
    "category-number",
    "paper-holder",
    "paper-iin",
    "paper-category",
    "paper-checked-on",
    "paper-place",
    "paper-issued-on",
    "paper-valid-until",
    "paper-issuer",
    "paper-signatory",
    "paper-signature",
    "paper-stamp",
    "paper-verify",
];
/// Type is set at these scales in turn until the page fits.
const SCALES: [f32; 6] = [1.0, 0.94, 0.88, 0.82, 0.76, 0.7];

/// One line of shaped text, ready to draw.
#[derive(Debug)]
struct Line {
    text: String,
    glyphs: Vec<KrillaGlyph>,
    /// In points at `size`.
    width: f32,
    size: f32,
    bold: bool,
}

/// What the layout pass decided, in page coordinates (points, y down, baselines for text).
enum Op {
    Text {
        x: f32,
        y: f32,
        line: Line,
        color: (u8, u8, u8),
    },
    Rule {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: (u8, u8, u8),
        dash: bool,
    },
    /// The QR code's top-left corner; it is [`QR_SIDE`] wide and high.
    Qr { x: f32, y: f32 },
}

/// Where a text goes horizontally.
#[derive(Clone, Copy)]
enum Align {
    Left,
    Center,
    Right,
}

/// Why a layout at one scale failed.
enum Overflow {
    /// Try a smaller scale.
    TooBig,
    /// Fails at every scale.
    Fatal(PaperError),
}

impl From<PaperError> for Overflow {
    fn from(e: PaperError) -> Overflow {
        Overflow::Fatal(e)
    }
}

impl Paper {
    /// Loads the bundled fonts and the shipped catalogs.
    pub fn new() -> Result<Paper, PaperError> {
        Ok(Paper {
            regular: Face::load("NotoSans-Regular", notosans::REGULAR_TTF)?,
            bold: Face::load("NotoSans-Bold", notosans::BOLD_TTF)?,
            l10n: Localizer::new()?,
        })
    }

    fn t(&self, lang: Lang, key: &str) -> String {
        self.l10n.text(lang, key)
    }

    /// A label in both languages, Kazakh first: `КӨШІРМЕ / КОПИЯ`.
    fn both(&self, key: &str) -> String {
        format!("{} / {}", self.t(Lang::Kk, key), self.t(Lang::Ru, key))
    }

    /// Renders one certificate (see [`render`]).
    pub fn render(&self, cert: &CertificateDoc) -> Result<Vec<u8>, PaperError> {
        check(cert)?;
        let qr = qrcode::QrCode::with_error_correction_level(&cert.qr_text, qrcode::EcLevel::M)
            .map_err(|e| PaperError::Qr {
                number: cert.number.clone(),
                detail: e.to_string(),
            })?;
        let mut ops = None;
        for scale in SCALES {
            match self.layout(cert, scale) {
                Ok(o) => {
                    ops = Some(o);
                    break;
                }
                Err(Overflow::TooBig) => continue,
                Err(Overflow::Fatal(e)) => return Err(e),
            }
        }
        let ops = ops.ok_or_else(|| PaperError::DoesNotFit {
            number: cert.number.clone(),
        })?;
        self.write(cert, &ops, &qr)
    }

    /// Shapes `text` on one line.
    fn shape(&self, text: &str, size: f32, bold: bool) -> Result<Line, PaperError> {
        let face = if bold { &self.bold } else { &self.regular };
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        let out = rustybuzz::shape(&face.shaper, &[], buffer);
        let infos = out.glyph_infos();
        let positions = out.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut width = 0.0;
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            if info.glyph_id == 0 {
                let ch = text[start..].chars().next().unwrap_or('\u{FFFD}');
                return Err(PaperError::MissingGlyph {
                    ch,
                    code: u32::from(ch),
                    text: text.to_owned(),
                });
            }
            // A cluster runs to the start of the next cluster (left to right only here).
            let end = infos[i + 1..]
                .iter()
                .map(|n| n.cluster as usize)
                .find(|&c| c != start)
                .unwrap_or(text.len());
            let adv = pos.x_advance as f32 / face.upem;
            width += adv * size;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                adv,
                pos.x_offset as f32 / face.upem,
                pos.y_offset as f32 / face.upem,
                pos.y_advance as f32 / face.upem,
                start..end,
                None,
            ));
        }
        Ok(Line {
            text: text.to_owned(),
            glyphs,
            width,
            size,
            bold,
        })
    }

    /// Breaks `text` into lines no wider than `width`, at spaces only. A single word wider
    /// than the box asks for a smaller scale rather than being split.
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Result<Vec<Line>, Overflow> {
        let mut lines = Vec::new();
        let mut current: Option<Line> = None;
        for word in text.split_whitespace() {
            let candidate = match &current {
                Some(line) => format!("{} {word}", line.text),
                None => word.to_owned(),
            };
            let shaped = self.shape(&candidate, size, bold)?;
            if shaped.width <= width {
                current = Some(shaped);
                continue;
            }
            if let Some(line) = current.take() {
                lines.push(line);
            }
            let alone = self.shape(word, size, bold)?;
            if alone.width > width {
                return Err(Overflow::TooBig);
            }
            current = Some(alone);
        }
        lines.extend(current);
        Ok(lines)
    }

    /// Lays the page out at `scale`; `TooBig` when the fields run into the bottom block.
    fn layout(&self, cert: &CertificateDoc, scale: f32) -> Result<Vec<Op>, Overflow> {
        let s = |pt: f32| pt * scale;
        let mut ops = Vec::new();
        let left = MARGIN_X;
        let right = PAGE_W - MARGIN_X;
        let content = right - left;
        let mut y = MARGIN_TOP;

        // A frame, so a cut or a photocopy of part of the page shows.
        let inset = 10.0 * MM;
        frame(&mut ops, inset, 1.2);
        frame(&mut ops, inset + 2.0, 0.4);
        if cert.copy {
            let mark = self.both("paper-copy");
            self.block(
                &mut ops,
                &mark,
                s(11.0),
                true,
                FRAME,
                left,
                content,
                y - s(2.0),
                Align::Right,
            )?;
            y += s(10.0);
        }

        // Issuer, kk then ru, small and centred.
        for text in [&cert.issuer.kk, &cert.issuer.ru] {
            y = self.block(
                &mut ops,
                text,
                s(9.5),
                false,
                GREY,
                left,
                content,
                y,
                Align::Center,
            )?;
        }
        y += s(6.0);
        ops.push(Op::Rule {
            from: (left, y),
            to: (right, y),
            width: 0.6,
            color: FRAME,
            dash: false,
        });
        y += s(11.0);

        // The document's one name in each language: the full official titles take two lines
        // each at 15 pt, and the longest seed category still fits at full size (a test).
        for lang in [Lang::Kk, Lang::Ru] {
            y = self.block(
                &mut ops,
                &self.t(lang, "cert-title"),
                s(15.0),
                true,
                INK,
                left,
                content,
                y,
                Align::Center,
            )?;
            y += s(3.0);
        }
        y += s(6.0);
        y = self.block(
            &mut ops,
            &format!("№ {}", cert.number),
            s(16.0),
            true,
            FRAME,
            left,
            content,
            y,
            Align::Center,
        )?;
        y += s(12.0);

        // The fields: a label column (kk over ru) and a value column.
        let label_w = s(128.0);
        let gap = s(14.0);
        let value_x = left + label_w + gap;
        let value_w = right - value_x;
        let category_kk = format!(
            "{}. {}",
            self.category_number(Lang::Kk, cert.category_number),
            cert.category.kk
        );
        let category_ru = format!(
            "{}. {}",
            self.category_number(Lang::Ru, cert.category_number),
            cert.category.ru
        );
        let validity = match cert.valid_until {
            Some(d) => vec![format_dmy(d)],
            None => vec![
                self.t(Lang::Kk, "cert-no-expiry"),
                self.t(Lang::Ru, "cert-no-expiry"),
            ],
        };
        let masked = cert.iin.masked();
        let checked_on = format_dmy(cert.checked_on);
        let issued_on = format_dmy(cert.issued_on);
        let rows: [(&str, Vec<&str>, bool); 8] = [
            ("paper-holder", vec![cert.holder.as_str()], true),
            ("paper-iin", vec![masked.as_str()], false),
            (
                "paper-category",
                vec![category_kk.as_str(), category_ru.as_str()],
                false,
            ),
            ("paper-checked-on", vec![checked_on.as_str()], false),
            (
                "paper-place",
                vec![cert.place.kk.as_str(), cert.place.ru.as_str()],
                false,
            ),
            ("paper-issued-on", vec![issued_on.as_str()], false),
            (
                "paper-valid-until",
                validity.iter().map(String::as_str).collect(),
                false,
            ),
            (
                "paper-issuer",
                vec![cert.issuer.kk.as_str(), cert.issuer.ru.as_str()],
                false,
            ),
        ];
        ops.push(Op::Rule {
            from: (left, y),
            to: (right, y),
            width: 0.4,
            color: GREY,
            dash: false,
        });
        for (key, values, emphasise) in rows {
            let top = y + s(6.0);
            let value_size = if emphasise { s(13.0) } else { s(10.5) };
            // The label's first baseline on the value's first baseline.
            let mut ly = top + (value_size - s(9.0)) * 0.98;
            ly = self.block(
                &mut ops,
                &self.t(Lang::Kk, key),
                s(9.0),
                true,
                INK,
                left,
                label_w,
                ly,
                Align::Left,
            )?;
            ly = self.block(
                &mut ops,
                &self.t(Lang::Ru, key),
                s(9.0),
                false,
                GREY,
                left,
                label_w,
                ly,
                Align::Left,
            )?;
            let mut vy = top;
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    vy += s(2.5);
                }
                vy = self.block(
                    &mut ops,
                    v,
                    value_size,
                    emphasise,
                    INK,
                    value_x,
                    value_w,
                    vy,
                    Align::Left,
                )?;
            }
            y = ly.max(vy) + s(5.0);
            ops.push(Op::Rule {
                from: (left, y),
                to: (right, y),
                width: 0.4,
                color: GREY,
                dash: false,
            });
        }

        // The bottom block: signature and stamp on the left, the QR code on the right.
        let qr_col_w = 72.0 * MM;
        let qr_x = right - qr_col_w;
        let bottom_limit = PAGE_H - MARGIN_BOTTOM;
        let mut qy = 0.0;
        let mut qr_ops = Vec::new();
        for lang in [Lang::Kk, Lang::Ru] {
            qy = self.block(
                &mut qr_ops,
                &self.t(lang, "paper-verify"),
                s(8.0),
                false,
                GREY,
                qr_x,
                qr_col_w,
                qy,
                Align::Center,
            )?;
        }
        qy += s(4.0);
        let qr_top_rel = qy;
        qy += QR_SIDE + s(4.0);
        let url_size = self.fit_size(&cert.verify_url, s(8.5), false, qr_col_w)?;
        qy = self.block(
            &mut qr_ops,
            &cert.verify_url,
            url_size,
            false,
            INK,
            qr_x,
            qr_col_w,
            qy,
            Align::Center,
        )?;
        qy += s(1.0);
        qy = self.block(
            &mut qr_ops,
            &cert.number,
            s(10.0),
            true,
            INK,
            qr_x,
            qr_col_w,
            qy,
            Align::Center,
        )?;
        qy += s(1.0);
        let check = format!("{}: {}", self.both("paper-check-code"), cert.check_code);
        let check_size = self.fit_size(&check, s(8.5), false, qr_col_w)?;
        qy = self.block(
            &mut qr_ops,
            &check,
            check_size,
            false,
            INK,
            qr_x,
            qr_col_w,
            qy,
            Align::Center,
        )?;
        let block_top = bottom_limit - qy;
        if y + s(14.0) > block_top {
            return Err(Overflow::TooBig);
        }
        for op in &mut qr_ops {
            shift(op, block_top);
        }
        ops.append(&mut qr_ops);
        ops.push(Op::Qr {
            x: qr_x + (qr_col_w - QR_SIDE) / 2.0,
            y: block_top + qr_top_rel,
        });

        // Signature: who signs (kk, ru), a line, "(signature)" under it; the stamp's circle.
        let sig_w = qr_x - left - s(10.0);
        let mut sy = block_top + s(8.0);
        for (lang, bold, color) in [(Lang::Kk, true, INK), (Lang::Ru, false, INK)] {
            sy = self.block(
                &mut ops,
                &self.t(lang, "paper-signatory"),
                s(10.0),
                bold,
                color,
                left,
                sig_w,
                sy,
                Align::Left,
            )?;
        }
        let line_y = sy + s(34.0);
        let line_w = (sig_w * 0.55).min(150.0);
        ops.push(Op::Rule {
            from: (left, line_y),
            to: (left + line_w, line_y),
            width: 0.7,
            color: INK,
            dash: false,
        });
        let caption = format!("({})", self.both("paper-signature"));
        self.block(
            &mut ops,
            &caption,
            s(8.0),
            false,
            GREY,
            left,
            line_w,
            line_y + s(3.0),
            Align::Center,
        )?;
        let radius = 17.0 * MM * scale.max(0.85);
        let cx = left + line_w + (sig_w - line_w) / 2.0;
        let cy = line_y + s(6.0);
        if cx - radius < left + line_w + 4.0 || cy + radius > bottom_limit {
            return Err(Overflow::TooBig);
        }
        circle(&mut ops, cx, cy, radius);
        let stamp = self.both("paper-stamp");
        let stamp_line = self.shape(&stamp, s(9.0), false)?;
        ops.push(Op::Text {
            x: cx - stamp_line.width / 2.0,
            y: cy + s(3.0),
            line: stamp_line,
            color: GREY,
        });
        Ok(ops)
    }

    /// The largest size up to `size` at which `text` fits `width` on one line (URLs have no
    /// spaces to break at), never below 6 pt.
    fn fit_size(&self, text: &str, size: f32, bold: bool, width: f32) -> Result<f32, Overflow> {
        let line = self.shape(text, size, bold)?;
        if line.width <= width {
            return Ok(size);
        }
        let fitted = size * width / line.width * 0.98;
        if fitted < 6.0 {
            return Err(Overflow::TooBig);
        }
        Ok(fitted)
    }

    fn category_number(&self, lang: Lang, n: u32) -> String {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("number", FluentValue::from(n));
        self.l10n.format(lang, "category-number", Some(&args))
    }

    /// Sets `text` wrapped into `width` from the top `y`; returns the y under its last line.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &self,
        ops: &mut Vec<Op>,
        text: &str,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
        x: f32,
        width: f32,
        mut y: f32,
        align: Align,
    ) -> Result<f32, Overflow> {
        let leading = size * 1.28;
        for line in self.wrap(text, size, bold, width)? {
            // The baseline sits about 0.95 em under the top of a line's box (Noto's ascent is 1.07).
            let baseline = y + size * 0.98;
            let lx = match align {
                Align::Left => x,
                Align::Center => x + (width - line.width) / 2.0,
                Align::Right => x + width - line.width,
            };
            ops.push(Op::Text {
                x: lx,
                y: baseline,
                line,
                color,
            });
            y += leading;
        }
        Ok(y)
    }

    fn write(
        &self,
        cert: &CertificateDoc,
        ops: &[Op],
        qr: &qrcode::QrCode,
    ) -> Result<Vec<u8>, PaperError> {
        let settings = SerializeSettings {
            configuration: Configuration::new_with_validator(Validator::A2_U),
            ..SerializeSettings::default()
        };
        let mut document = Document::new_with(settings);
        let mut title = format!(
            "{} / {} № {}",
            self.t(Lang::Kk, "cert-title"),
            self.t(Lang::Ru, "cert-title"),
            cert.number
        );
        if cert.copy {
            title.push_str(&format!(" ({})", self.both("paper-copy")));
        }
        let date = DateTime::new(cert.issued_on.year().clamp(0, 9999) as u16)
            .month(cert.issued_on.month() as u8)
            .day(cert.issued_on.day() as u8)
            .hour(0)
            .minute(0)
            .second(0)
            .utc_offset_hour(5)
            .utc_offset_minute(0);
        document.set_metadata(
            Metadata::new()
                .title(title)
                .language("kk".to_owned())
                .creator("Synaq".to_owned())
                .authors(vec![cert.issuer.ru.clone()])
                // The file id derives from this, so it is the same for every render.
                .document_id(cert.number.clone())
                .creation_date(date),
        );
        {
            let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
                .ok_or_else(|| PaperError::Pdf("bad page size".into()))?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            for op in ops {
                match op {
                    Op::Text { x, y, line, color } => {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*color)));
                        let face = if line.bold { &self.bold } else { &self.regular };
                        surface.draw_glyphs(
                            Point::from_xy(*x, *y),
                            &line.glyphs,
                            face.pdf.clone(),
                            &line.text,
                            line.size,
                            false,
                        );
                    }
                    Op::Qr { x, y } => draw_qr(&mut surface, qr, *x, *y),
                    Op::Rule {
                        from,
                        to,
                        width,
                        color,
                        dash,
                    } => {
                        let mut pb = PathBuilder::new();
                        pb.move_to(from.0, from.1);
                        pb.line_to(to.0, to.1);
                        if let Some(path) = pb.finish() {
                            stroke_path(&mut surface, &path, *width, *color, *dash);
                        }
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        document.finish().map_err(|e| PaperError::Pdf(describe(&e)))
    }
}

fn describe(e: &KrillaError) -> String {
    match e {
        KrillaError::Validation(errors) => {
            let list: Vec<String> = errors.iter().map(validation).collect();
            format!("PDF/A-2u validation failed: {}", list.join("; "))
        }
        other => format!("{other:?}"),
    }
}

fn validation(e: &ValidationError) -> String {
    format!("{e:?}")
}

fn fill(color: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn stroke_path(
    surface: &mut Surface<'_>,
    path: &Path,
    width: f32,
    color: (u8, u8, u8),
    dash: bool,
) {
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        width,
        line_cap: LineCap::Butt,
        dash: dash.then(|| StrokeDash {
            array: vec![3.0, 2.0],
            offset: 0.0,
        }),
        ..Stroke::default()
    }));
    surface.draw_path(path);
    surface.set_stroke(None);
}

/// The QR code as filled squares, one rectangle per horizontal run of dark modules.
fn draw_qr(surface: &mut Surface<'_>, qr: &qrcode::QrCode, x: f32, y: f32) {
    let n = qr.width();
    let module = QR_SIDE / n as f32;
    let colors = qr.to_colors();
    let mut pb = PathBuilder::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] != qrcode::Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && colors[row * n + col] == qrcode::Color::Dark {
                col += 1;
            }
            // A hair of overlap so rasterisers leave no seam between abutting squares.
            if let Some(r) = Rect::from_xywh(
                x + start as f32 * module,
                y + row as f32 * module,
                (col - start) as f32 * module + QR_BLEED,
                module + QR_BLEED,
            ) {
                pb.push_rect(r);
            }
        }
    }
    if let Some(path) = pb.finish() {
        surface.set_stroke(None);
        surface.set_fill(Some(fill((0, 0, 0))));
        surface.draw_path(&path);
    }
}

fn frame(ops: &mut Vec<Op>, inset: f32, width: f32) {
    let (l, t, r, b) = (inset, inset, PAGE_W - inset, PAGE_H - inset);
    for (from, to) in [
        ((l, t), (r, t)),
        ((r, t), (r, b)),
        ((r, b), (l, b)),
        ((l, b), (l, t)),
    ] {
        ops.push(Op::Rule {
            from,
            to,
            width,
            color: FRAME,
            dash: false,
        });
    }
}

/// A dashed circle as 36 short chords (a stamp's place).
fn circle(ops: &mut Vec<Op>, cx: f32, cy: f32, r: f32) {
    let steps = 36;
    for i in 0..steps {
        if i % 2 == 1 {
            continue;
        }
        let a0 = i as f32 / steps as f32 * std::f32::consts::TAU;
        let a1 = (i + 1) as f32 / steps as f32 * std::f32::consts::TAU;
        ops.push(Op::Rule {
            from: (cx + r * a0.cos(), cy + r * a0.sin()),
            to: (cx + r * a1.cos(), cy + r * a1.sin()),
            width: 0.6,
            color: GREY,
            dash: false,
        });
    }
}

fn shift(op: &mut Op, dy: f32) {
    match op {
        Op::Text { y, .. } => *y += dy,
        Op::Rule { from, to, .. } => {
            from.1 += dy;
            to.1 += dy;
        }
        Op::Qr { y, .. } => *y += dy,
    }
}

/// Refuses a certificate with an empty field or with the full ИИН where only a token may be.
fn check(cert: &CertificateDoc) -> Result<(), PaperError> {
    let fields: [(&'static str, &str); 11] = [
        ("number", &cert.number),
        ("holder", &cert.holder),
        ("category.kk", &cert.category.kk),
        ("category.ru", &cert.category.ru),
        ("place.kk", &cert.place.kk),
        ("place.ru", &cert.place.ru),
        ("issuer.kk", &cert.issuer.kk),
        ("issuer.ru", &cert.issuer.ru),
        ("qr_text", &cert.qr_text),
        ("verify_url", &cert.verify_url),
        ("check_code", &cert.check_code),
    ];
    for (field, value) in fields {
        if value.trim().is_empty() {
            return Err(PaperError::EmptyField {
                number: cert.number.clone(),
                field,
            });
        }
    }
    let full = cert.iin.as_str();
    if cert.qr_text.contains(full.as_str()) || cert.verify_url.contains(full.as_str()) {
        return Err(PaperError::FullIinInQr {
            number: cert.number.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout scale the sample lands on, so a layout change that shrinks real
    /// certificates shows up here and not only in a picture.
    pub(crate) fn scale_of(paper: &Paper, cert: &CertificateDoc) -> Option<f32> {
        SCALES.into_iter().find(|&s| paper.layout(cert, s).is_ok())
    }

    #[test]
    fn every_label_the_paper_prints_is_in_the_kazakh_and_russian_catalogs() {
        let paper = Paper::new().unwrap();
        for key in LABELS {
            for lang in [Lang::Kk, Lang::Ru, Lang::En] {
                assert!(paper.l10n.has(lang, key), "{key} is missing in {lang:?}");
            }
        }
    }

    #[test]
    fn the_longest_seed_category_fits_at_full_size() {
        let paper = Paper::new().unwrap();
        let cert = CertificateDoc {
            number: "KZOT-2026-7QK4-M2XD".into(),
            holder: "Әбілқасымова Гүлнұр Өтегенқызы".into(),
            iin: Iin::parse("900101300017").unwrap(),
            category_number: 2,
            category: Bilingual::new(
                "Еңбекті қорғау қызметінің басшысы мен мамандары; еңбекті қорғауға жауапты маман; құрылымдық бөлімшенің басшысы; өндірістік кеңестің төрағасы және еңбекті қорғау жөніндегі жұмыс топтарының басшылары",
                "Руководитель и специалисты службы охраны труда; специалист, ответственный за охрану труда; руководитель структурного подразделения; председатель производственного совета и руководители рабочих групп по охране труда",
            ),
            checked_on: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            place: Bilingual::new(
                "ЕУМЦ-нің Алматы қаласы бойынша аумақтық өкілдігі",
                "Территориальное представительство ЕУМЦ по городу Алматы",
            ),
            issued_on: NaiveDate::from_ymd_opt(2026, 3, 16).unwrap(),
            valid_until: None,
            issuer: Bilingual::new(
                "Бірыңғай оқу-әдістемелік орталық (ЕУМЦ)",
                "Единый учебно-методический центр (ЕУМЦ)",
            ),
            qr_text: "https://verify.eumc.kz/v/KZOT-2026-7QK4-M2XD#t=SQ1.x.y".into(),
            verify_url: "https://verify.eumc.kz/v/KZOT-2026-7QK4-M2XD".into(),
            check_code: "7QK4-M2".into(),
            copy: false,
        };
        assert_eq!(scale_of(&paper, &cert), Some(1.0));
    }
}
