//! Arbitrary files through the CSV and JSON Lines importers: the first byte picks
//! the format and the record type, the rest is the file, imported into a small
//! fixture store. An import may fail but must not panic; its error is an import
//! error naming a line of the file; a refused file writes nothing; an accepted
//! one leaves the counters equal to the dossiers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = cchc::fuzz_support::fuzz_import(data) {
        panic!("{broken}");
    }
});
