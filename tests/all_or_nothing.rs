//! A bad file or a bad backup writes nothing: the store's bytes are the same before and
//! after the failed call (issue 13, items 4 and 5).

mod common;

use std::path::Path;

use cchc::demo::{self, DemoSpec};
use cchc::io::{self, Format, RecordType};
use cchc::{Error, Store};

/// Runs `f` on a store at `path` and returns its error, checking that every tree is
/// byte-identical before and after.
fn fails_unchanged(path: &Path, f: impl FnOnce(&Store) -> cchc::Result<()>) -> Error {
    drop(Store::open(path).unwrap());
    let before = common::dump_raw(path);
    let store = common::retry_while_locked(|| Store::open(path));
    let err = f(&store).expect_err("the call must fail");
    drop(store);
    assert_eq!(common::dump_raw(path), before, "the failed call changed the store: {err}");
    err
}

#[test]
fn an_agencies_file_with_a_cycle_after_a_good_row_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = "code,name,kind,level,parent\n\
                000.00.00.H49,UBND tỉnh Quảng Nam,province,,\n\
                000.00.01.H49,Sở A,department,,000.00.02.H49\n\
                000.00.02.H49,Sở B,department,,000.00.01.H49\n";
    let err = fails_unchanged(&dir.path().join("store"), |store| {
        io::import_reader(
            store,
            file.as_bytes(),
            "agencies.csv",
            Format::Csv,
            RecordType::Agencies,
            1_000,
        )
        .map(|_| ())
    });
    match err {
        Error::Import { file, line, field, reason } => {
            assert_eq!((file.as_str(), line, field.as_str()), ("agencies.csv", 3, "parent"));
            assert!(reason.contains("cycle"), "{reason}");
        }
        other => panic!("expected an import error, got {other:?}"),
    }
}

/// Writes a backup of a small demo province and returns its folder.
fn backup(dir: &Path) -> std::path::PathBuf {
    let source = Store::temporary().unwrap();
    demo::populate(&source, &DemoSpec::quang_nam_2023().with_dossiers(400), |_, _| {}).unwrap();
    let out = dir.join("backup");
    io::backup::export(&source, &out).unwrap();
    out
}

fn copy_backup(from: &Path, to: &Path, edit: impl FnOnce(&Path)) {
    common::copy_dir(from, to);
    edit(to);
}

fn edit_first_dossier(
    folder: &Path,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) {
    let path = folder.join("dossiers.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // A line in the middle, so that earlier lines would already have been written.
    let i = lines.len() / 2;
    let mut value: serde_json::Value = serde_json::from_str(&lines[i]).unwrap();
    edit(value.as_object_mut().unwrap());
    lines[i] = value.to_string();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

/// A named damage done to a copy of a backup folder.
type Damage = (&'static str, Box<dyn FnOnce(&Path)>);

#[test]
fn a_bad_backup_leaves_the_target_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let good = backup(dir.path());
    let cases: Vec<Damage> = vec![
        (
            "truncated dossiers.jsonl",
            Box::new(|f: &Path| {
                let path = f.join("dossiers.jsonl");
                let bytes = std::fs::read(&path).unwrap();
                std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
            }),
        ),
        (
            "a field from a newer format",
            Box::new(|f: &Path| {
                edit_first_dossier(f, |d| {
                    d.insert("receiving_centre".into(), "000.00.50.H49".into());
                });
            }),
        ),
        (
            "a dossier whose agency is not in the backup",
            Box::new(|f: &Path| {
                edit_first_dossier(f, |d| {
                    d.insert("agency".into(), "000.00.99.H49".into());
                });
            }),
        ),
        (
            "feedback for an agency that is not in the backup",
            Box::new(|f: &Path| {
                let path = f.join("feedback.jsonl");
                let text = std::fs::read_to_string(&path).unwrap();
                let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                let mut value: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
                value["agency"] = "000.00.99.H49".into();
                lines[0] = value.to_string();
                std::fs::write(&path, lines.join("\n") + "\n").unwrap();
            }),
        ),
        (
            "a key given twice in a backup line",
            Box::new(|f: &Path| {
                let path = f.join("feedback.jsonl");
                let text = std::fs::read_to_string(&path).unwrap();
                let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                let last = lines.len() - 1;
                lines[last] = lines[last].replacen('{', "{\"id\": \"PA-twice\", ", 1);
                std::fs::write(&path, lines.join("\n") + "\n").unwrap();
            }),
        ),
        (
            "a manifest count that differs from the files",
            Box::new(|f: &Path| {
                let path = f.join("manifest.json");
                let mut m: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let n = m["dossiers"].as_u64().unwrap();
                m["dossiers"] = (n + 1).into();
                std::fs::write(&path, m.to_string()).unwrap();
            }),
        ),
    ];
    for (i, (name, edit)) in cases.into_iter().enumerate() {
        let folder = dir.path().join(format!("bad{i}"));
        copy_backup(&good, &folder, edit);
        let err = fails_unchanged(&dir.path().join(format!("target{i}")), |store| {
            io::backup::restore(store, &folder).map(|_| ())
        });
        match &err {
            // Named by its key, as the importers do.
            Error::Import { field, .. } if name.contains("twice") => assert_eq!(field, "id"),
            Error::Import { .. } => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    // The good backup still restores in full.
    let target = Store::temporary().unwrap();
    let manifest = io::backup::restore(&target, &good).unwrap();
    assert_eq!(manifest.dossiers, 400);
    assert_eq!(target.dossiers().len(), 400);
    assert!(target.verify().unwrap().is_clean());
}
