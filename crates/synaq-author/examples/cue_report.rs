//! Prints the answer-cue rates of a bank source, per topic and over the bank, and which
//! questions give the correct option away by its length:
//! `cargo run -p synaq-author --example cue_report -- assets/demo [--list]`.
use std::path::PathBuf;

use synaq_author::cues::{question_cues, rates, LANGS};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map_or_else(|| PathBuf::from("assets/demo"), PathBuf::from);
    let list = args.next().as_deref() == Some("--list");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("questions"))
        .expect("questions/")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut questions = Vec::new();
    for f in files {
        match synaq_author::import_file(&f) {
            Ok((imp, _)) => questions.extend(imp.questions),
            Err(d) => panic!("{d:?}"),
        }
    }
    let mut topics: Vec<String> = questions.iter().map(|q| q.topic.clone()).collect();
    topics.dedup();
    for lang in LANGS {
        println!("== {} ==", lang.code());
        for t in &topics {
            let r = rates(questions.iter().filter(|q| &q.topic == t), lang);
            println!("{t:<18} longest {}", r.longest);
        }
        let r = rates(&questions, lang);
        println!("BANK longest      {}", r.longest);
        for (p, rate) in r.position.iter().enumerate() {
            println!("BANK position {p}   {rate}");
        }
        println!("BANK all-of-above {}", r.all_of_above);
        println!("BANK stem echo    {}", r.stem_echo);
        println!("BANK odd one out  {}", r.odd_one_out);
    }
    if list {
        for q in &questions {
            let cues: Vec<_> = LANGS.iter().filter_map(|&l| question_cues(q, l)).collect();
            let Some(c) = cues.first() else { continue };
            let flags: Vec<String> = LANGS
                .iter()
                .zip(&cues)
                .filter(|(_, c)| c.longest == Some(c.correct))
                .map(|(l, c)| format!("{}:{:?}", l.code(), c.lengths))
                .collect();
            if !flags.is_empty() {
                println!(
                    "LONG {} correct={} {}",
                    q.id.0,
                    q.options[c.correct].id,
                    flags.join(" ")
                );
            }
        }
    }
}
