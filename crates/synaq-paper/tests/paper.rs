//! The certificate PDF checked with the real tools a printer, a reader and a phone would use:
//! poppler (`pdftotext`, `pdffonts`, `pdftoppm`), zbar (`zbarimg`) and `qpdf`.
//! `cargo xtask setup` installs them; a missing one fails the test with the package to install.

mod util;

use synaq_paper::{render, CertificateDoc, Paper, PaperError};
use util::{normalise, pdf_in_temp, run_tool, sample, TEST_OUT};

fn paper() -> Paper {
    Paper::new().expect("fonts and catalogs load")
}

#[test]
fn two_renders_of_one_certificate_are_byte_identical() {
    let paper = paper();
    let cert = sample();
    let a = render(&cert, &paper).unwrap();
    let b = render(&cert, &Paper::new().unwrap()).unwrap();
    assert!(
        a == b,
        "two renders differ ({} vs {} bytes)",
        a.len(),
        b.len()
    );
    let mut other = cert.clone();
    other.number = "KZOT-2026-7QK4-M2XE".into();
    assert_ne!(
        a,
        render(&other, &paper).unwrap(),
        "another number, other bytes"
    );
}

#[test]
fn pdftotext_finds_every_kazakh_and_russian_field_and_the_number() {
    let cert = sample();
    let (_dir, pdf) = pdf_in_temp(&render(&cert, &paper()).unwrap());
    let out = run_tool("pdftotext", "poppler-utils", &[pdf.as_str(), "-"]);
    let text = normalise(&out);
    let mut expected: Vec<String> = vec![
        cert.number.clone(),
        format!("№ {}", cert.number),
        cert.holder.clone(),
        "********0017".into(),
        cert.category.kk.clone(),
        cert.category.ru.clone(),
        "2-санат".into(),
        "Категория 2".into(),
        cert.place.kk.clone(),
        cert.place.ru.clone(),
        cert.issuer.kk.clone(),
        cert.issuer.ru.clone(),
        "14.03.2026".into(),
        "16.03.2026".into(),
        "13.03.2029".into(),
        cert.verify_url.clone(),
        // The document's one name, in both languages.
        "Еңбек қауіпсіздігі және еңбекті қорғау бойынша білімді тексеру туралы сертификат".into(),
        "Сертификат о проверке знаний по безопасности и охране труда".into(),
    ];
    for label in [
        "Тегі, аты, әкесінің аты",
        "ЖСН",
        "Санат",
        "Білімді тексерген күні",
        "Тексерген орны",
        "Берілген күні",
        "Жарамдылық мерзімі",
        "Сертификатты берген",
        "ЕУМЦ-нің уәкілетті тұлғасы",
        "қолы",
        "М.О.",
        "Фамилия, имя, отчество",
        "ИИН",
        "Категория",
        "Дата проверки знаний",
        "Место проверки",
        "Дата выдачи",
        "Действителен до",
        "Сертификат выдал",
        "Уполномоченное лицо ЕУМЦ",
        "подпись",
        "М.П.",
    ] {
        expected.push(label.into());
    }
    for want in &expected {
        assert!(
            text.contains(&normalise(want)),
            "pdftotext lacks {want:?}; it read:\n{out}"
        );
    }
    assert!(
        !text.contains("900101300017"),
        "the full ИИН is on the paper"
    );
}

#[test]
fn no_expiry_is_printed_in_both_languages() {
    let mut cert = sample();
    cert.valid_until = None;
    let (_dir, pdf) = pdf_in_temp(&render(&cert, &paper()).unwrap());
    let text = normalise(&run_tool(
        "pdftotext",
        "poppler-utils",
        &[pdf.as_str(), "-"],
    ));
    assert!(
        text.contains("мерзімсіз") && text.contains("бессрочно"),
        "{text}"
    );
}

#[test]
fn pdffonts_shows_every_font_embedded_subset_with_a_unicode_map() {
    let (_dir, pdf) = pdf_in_temp(&render(&sample(), &paper()).unwrap());
    let out = run_tool("pdffonts", "poppler-utils", &[pdf.as_str()]);
    // name type encoding emb sub uni object ID: the last five columns are emb sub uni num gen.
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(
        rows.len() >= 2,
        "expected the regular and the bold face:\n{out}"
    );
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 7, "unexpected pdffonts row {row:?}");
        let (emb, sub, uni) = (cols[n - 5], cols[n - 4], cols[n - 3]);
        assert_eq!(
            (emb, sub, uni),
            ("yes", "yes", "yes"),
            "font row {row:?}\n{out}"
        );
        assert!(cols[0].contains("NotoSans"), "not Noto Sans: {row:?}");
    }
}

#[test]
fn the_qr_code_read_back_from_a_150_dpi_picture_is_exactly_the_qr_text() {
    let cert = sample();
    let bytes = render(&cert, &paper()).unwrap();
    let (dir, pdf) = pdf_in_temp(&bytes);
    let stem = dir.path().join("page");
    let stem = stem.to_str().unwrap();
    run_tool(
        "pdftoppm",
        "poppler-utils",
        &["-r", "150", "-png", "-singlefile", pdf.as_str(), stem],
    );
    let png = format!("{stem}.png");
    // Keep the picture where a person can look at it.
    std::fs::create_dir_all(TEST_OUT).unwrap();
    std::fs::copy(&png, format!("{TEST_OUT}/certificate.png")).unwrap();
    std::fs::write(format!("{TEST_OUT}/certificate.pdf"), &bytes).unwrap();
    let out = run_tool("zbarimg", "zbar-tools", &["--quiet", "--raw", png.as_str()]);
    let decoded: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(decoded, vec![cert.qr_text.as_str()], "zbarimg read {out:?}");
}

#[test]
fn qpdf_check_is_clean() {
    let (_dir, pdf) = pdf_in_temp(&render(&sample(), &paper()).unwrap());
    let out = run_tool("qpdf", "qpdf", &["--check", pdf.as_str()]);
    assert!(
        out.contains("No syntax or stream encoding errors found"),
        "qpdf --check:\n{out}"
    );
    assert!(
        !out.to_lowercase().contains("warning"),
        "qpdf --check:\n{out}"
    );
}

#[test]
fn the_pdf_claims_pdf_a_2u_in_its_metadata() {
    let bytes = render(&sample(), &paper()).unwrap();
    let s = String::from_utf8_lossy(&bytes);
    assert!(s.contains("<pdfaid:part>2</pdfaid:part>"), "no PDF/A part");
    assert!(
        s.contains("<pdfaid:conformance>U</pdfaid:conformance>"),
        "no PDF/A-U"
    );
}

#[test]
fn a_qr_text_with_the_full_iin_is_refused() {
    let mut cert = sample();
    cert.qr_text = format!("{}&iin=900101300017", cert.qr_text);
    assert!(matches!(
        render(&cert, &paper()),
        Err(PaperError::FullIinInQr { .. })
    ));
}

#[test]
fn an_empty_field_is_named() {
    let mut cert = sample();
    cert.place.ru = "  ".into();
    let err = render(&cert, &paper()).unwrap_err();
    assert!(
        matches!(
            err,
            PaperError::EmptyField {
                field: "place.ru",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_character_the_font_lacks_is_refused_not_printed_as_a_box() {
    let mut cert = sample();
    cert.holder = "Әбілқасымова 漢字".into();
    let err = render(&cert, &paper()).unwrap_err();
    assert!(
        matches!(err, PaperError::MissingGlyph { ch: '漢', .. }),
        "{err}"
    );
}

#[test]
fn every_kazakh_letter_has_a_glyph() {
    let mut cert = sample();
    cert.holder = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі".into();
    render(&cert, &paper()).expect("Noto Sans covers the Kazakh alphabet");
}

#[test]
fn very_long_fields_are_set_smaller_and_then_refused_never_cut() {
    let paper = paper();
    let mut cert = sample();
    // Longer than any real category: still one page, in smaller type.
    cert.place.kk = format!("{} {}", cert.place.kk, cert.category.kk);
    cert.place.ru = format!("{} {}", cert.place.ru, cert.category.ru);
    render(&cert, &paper).expect("a long place still fits");
    let mut absurd: CertificateDoc = cert.clone();
    absurd.category.ru = cert.category.ru.repeat(30);
    assert!(matches!(
        render(&absurd, &paper),
        Err(PaperError::DoesNotFit { .. })
    ));
}

#[test]
fn the_check_code_is_printed_and_a_reprint_says_it_is_a_copy() {
    let paper = paper();
    let cert = sample();
    let (_dir, pdf) = pdf_in_temp(&render(&cert, &paper).unwrap());
    let text = normalise(&run_tool(
        "pdftotext",
        "poppler-utils",
        &[pdf.as_str(), "-"],
    ));
    assert!(
        text.contains(&normalise("Тексеру коды / Код проверки: 7QK4-M2")),
        "{text}"
    );
    assert!(
        !text.contains("КОПИЯ"),
        "the original is not marked as a copy"
    );

    let mut copy = cert.clone();
    copy.copy = true;
    let copy_pdf = render(&copy, &paper).unwrap();
    let (_dir2, path) = pdf_in_temp(&copy_pdf);
    let text = normalise(&run_tool(
        "pdftotext",
        "poppler-utils",
        &[path.as_str(), "-"],
    ));
    assert!(text.contains(&normalise("КӨШІРМЕ / КОПИЯ")), "{text}");
    assert_eq!(
        copy_pdf,
        render(&copy, &paper).unwrap(),
        "a copy renders deterministically too"
    );
}
