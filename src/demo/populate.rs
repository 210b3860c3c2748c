//! Filling a store with the whole province.

use super::province::Province;
use super::reform::{feedback, reform_plan};
use super::stream::DossierStream;
use super::{DemoDossier, DemoSpec};
use crate::store::{ImportSummary, Store};
use crate::{Error, Result};

/// Fills an empty store with the province of `spec`: agencies, every procedure
/// version, then the dossiers streamed through the store's
/// [`Importer`](crate::store::Importer) in batches of 1,000, timed with the store's own
/// calendar and counting mode. `progress` is called after each batch with the
/// dossiers written so far and the total.
///
/// Then it stores the year's [`feedback`] items and the province's
/// [`reform_plan`].
///
/// # Errors
/// [`Error::Duplicate`] when the store already holds the province's agencies or
/// procedures; any error of the importer; [`Error::InvalidInput`] for a bad spec.
pub fn populate(
    store: &Store,
    spec: &DemoSpec,
    mut progress: impl FnMut(u64, u64),
) -> Result<ImportSummary> {
    let province = Province::generate(spec)?;
    for agency in province.agencies() {
        store.agencies().insert(agency)?;
    }
    for procedure in &province.procedures {
        store.procedures().insert(procedure)?;
    }
    let total = spec.dossiers;
    let stream = DossierStream::with_calendar(
        spec,
        &province,
        (*store.calendar()).clone(),
        store.counting_mode(),
    )?;
    let mut importer = store
        .dossiers()
        .importer()
        .batch_size(1_000)
        .on_progress(|s: &ImportSummary| progress(s.dossiers, total));
    // Generate on a second thread while this one writes: a bounded channel of
    // batches keeps memory at a few thousand dossiers.
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<DemoDossier>>>(4);
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(1_000);
            for item in stream {
                match item {
                    Ok(d) => batch.push(d),
                    Err(e) => {
                        let _ = sender.send(Err(e));
                        return;
                    }
                }
                if batch.len() == 1_000
                    && sender
                        .send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(1_000))))
                        .is_err()
                {
                    return;
                }
            }
            let _ = sender.send(Ok(batch));
        });
        // Dropping the receiver on error stops the generator at its next send.
        for batch in receiver {
            for (new, actions) in batch? {
                importer.dossier(new, actions)?;
            }
        }
        Ok::<(), Error>(())
    })?;
    let summary = importer.finish()?;
    let items = store.feedback();
    for item in feedback(spec, &province)? {
        items.insert(&item)?;
    }
    store.plans().insert(&reform_plan(spec, &province)?)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::names::PROVINCE_CODE;
    use crate::demo::province::code;

    #[test]
    fn populate_writes_everything_and_stays_consistent() {
        let store = Store::temporary().unwrap();
        let spec = DemoSpec::quang_nam_2023().with_dossiers(2_500);
        let mut calls = Vec::new();
        let summary = populate(&store, &spec, |done, total| calls.push((done, total))).unwrap();
        assert_eq!(summary.dossiers, 2_500);
        assert_eq!(summary.batches, 3);
        assert_eq!(calls, vec![(1_000, 2_500), (2_000, 2_500), (2_500, 2_500)]);
        assert_eq!(store.agencies().len(), 1 + 20 + 18 + 241);
        assert_eq!(store.procedures().len(), 1_972);
        let report = store.report(&crate::Scope::All, crate::Period::year(2023).unwrap()).unwrap();
        assert_eq!(report.received_in_period(), 2_500);
        assert!(store.verify().unwrap().is_clean());
        // One feedback item per 30 dossiers, and the province's 64-task plan.
        assert_eq!(store.feedback().len(), 2_500 / 30);
        let plan = store.plans().get(&code(PROVINCE_CODE).unwrap(), 2023).unwrap().unwrap();
        assert_eq!(plan.tasks().len(), 64);
        // A second populate finds the province already there.
        assert!(matches!(populate(&store, &spec, |_, _| {}), Err(Error::Duplicate { .. })));
    }
}
