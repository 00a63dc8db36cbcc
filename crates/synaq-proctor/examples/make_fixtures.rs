//! Draws the fixture frames into `assets/fixtures/frames/` (run from the workspace root):
//! `cargo run -p synaq-proctor --example make_fixtures`. Deterministic; no real faces.

use synaq_proctor::synth::{self, Person};

const W: u32 = 640;
const H: u32 = 480;
const SKINS: [[u8; 3]; 4] = [
    [224, 172, 140],
    [198, 140, 105],
    [160, 110, 80],
    [240, 200, 170],
];

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fixtures/frames");
    std::fs::create_dir_all(&dir).unwrap();
    let save = |name: &str, img: &image::RgbImage| {
        std::fs::write(dir.join(name), synth::jpeg(img, 80)).unwrap();
        println!("{name}");
    };
    let p = |cx: f32, cy: f32, r: f32, s: usize| Person {
        cx,
        cy,
        r,
        skin: SKINS[s % 4],
    };
    let faces = [
        p(320.0, 220.0, 55.0, 0),
        p(260.0, 200.0, 45.0, 1),
        p(380.0, 240.0, 65.0, 2),
        p(300.0, 210.0, 40.0, 3),
        p(340.0, 230.0, 75.0, 1),
        p(220.0, 220.0, 50.0, 2),
    ];
    for (i, f) in faces.iter().enumerate() {
        save(
            &format!("face-{:02}.jpg", i + 1),
            &synth::scene(W, H, 10 + i as u32, &[*f]),
        );
    }
    for i in 0..3 {
        save(
            &format!("noface-{:02}.jpg", i + 1),
            &synth::room(W, H, 20 + i),
        );
    }
    let pairs = [
        [p(190.0, 210.0, 50.0, 0), p(450.0, 220.0, 48.0, 2)],
        [p(170.0, 230.0, 45.0, 1), p(470.0, 200.0, 55.0, 3)],
        [p(210.0, 200.0, 55.0, 2), p(430.0, 240.0, 42.0, 0)],
    ];
    for (i, pair) in pairs.iter().enumerate() {
        save(
            &format!("two-faces-{:02}.jpg", i + 1),
            &synth::scene(W, H, 30 + i as u32, pair),
        );
    }
    save("covered-01.jpg", &synth::covered(W, H, 40, 60));
    save("covered-02.jpg", &synth::covered(W, H, 41, 15));
    save(
        "dark-01.jpg",
        &synth::darken(&synth::scene(W, H, 42, &[faces[0]]), 0.08),
    );
    // A frozen feed: the very same bytes four times.
    let frozen = synth::jpeg(&synth::scene(W, H, 50, &[faces[1]]), 80);
    for i in 0..4 {
        std::fs::write(dir.join(format!("frozen-{:02}.jpg", i + 1)), &frozen).unwrap();
    }
}
