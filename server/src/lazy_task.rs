//! A per-instance background task fed by a queue: started on first use, and started again on
//! the next use if it died (a panic in the database driver), so that a failure costs the work
//! it was doing, never every later caller. The group-commit writer and the callbacks' shared
//! epoch reads are such tasks.

use std::{
    future::Future,
    sync::{Arc, Mutex},
};

use tokio::sync::mpsc;

pub struct LazyTask<T>(Arc<Mutex<Option<mpsc::Sender<T>>>>);

impl<T> Default for LazyTask<T> {
    fn default() -> Self {
        LazyTask(Arc::default())
    }
}

impl<T> Clone for LazyTask<T> {
    fn clone(&self) -> Self {
        LazyTask(self.0.clone())
    }
}

impl<T: Send + 'static> LazyTask<T> {
    /// Queues `item` (waiting while `capacity` items are queued), first spawning
    /// `run(receiver)` if no task is running. `Err` gives `item` back if the task stopped
    /// before taking it.
    pub async fn send<F, Fut>(&self, item: T, capacity: usize, run: F) -> Result<(), T>
    where
        F: FnOnce(mpsc::Receiver<T>) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let queue = {
            let mut queue = self.0.lock().unwrap_or_else(|p| p.into_inner());
            match queue.as_ref().filter(|tx| !tx.is_closed()) {
                Some(tx) => tx.clone(),
                None => {
                    let (tx, rx) = mpsc::channel(capacity);
                    tokio::spawn(run(rx));
                    *queue = Some(tx.clone());
                    tx
                }
            }
        };
        queue.send(item).await.map_err(|e| e.0)
    }
}
