//! Arbitrary bytes decoded as every stored record type of the store core (agency,
//! procedure version, dossier, counter vector). Decoding may fail but must not panic,
//! and whatever decodes must survive a round trip through its record and every
//! computation derived from a dossier.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = cchc::fuzz_support::fuzz_decode_records(data) {
        panic!("{broken}");
    }
});
