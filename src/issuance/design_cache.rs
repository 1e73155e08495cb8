//! Designs made ready for rendering, kept by the exact reference a document records (a built-in
//! name or `DESIGN_ID@VERSION`). A version never changes, so what is prepared once serves every
//! paper of every batch that uses it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use super::own_designs::{drawable, dress};
use super::render::images::Picture;
use super::render::{PreparedDesign, RenderError, Renderer};
use super::IssueError;
use crate::db::{self, Db};
use crate::domain::design::DesignRef;

/// Beyond this many designs in memory the cache starts again; a process rarely needs more.
const KEPT: usize = 32;

pub struct ReadyDesign {
    pub prepared: Arc<PreparedDesign>,
    /// The pictures, for the rare paper that needs the design prepared again with wider fonts.
    pub pictures: Arc<BTreeMap<String, Picture>>,
}

#[derive(Default)]
pub struct DesignCache {
    ready: Mutex<HashMap<String, Arc<ReadyDesign>>>,
}

impl DesignCache {
    /// The design ready to render, prepared on first use. Preparing happens outside the lock, so
    /// a slow picture does not hold up papers of other designs.
    pub fn get(&self, db: &Db, renderer: &Renderer, reference: &str) -> Result<Arc<ReadyDesign>, IssueError> {
        if let Some(ready) = self.lock()?.get(reference) {
            return Ok(ready.clone());
        }
        let ready = Arc::new(load(db, renderer, reference)?);
        let mut cache = self.lock()?;
        if cache.len() >= KEPT {
            cache.clear();
        }
        Ok(cache.entry(reference.to_string()).or_insert(ready).clone())
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Arc<ReadyDesign>>>, IssueError> {
        self.ready
            .lock()
            .map_err(|_| IssueError::Render(RenderError::Write("the design cache is poisoned".into())))
    }
}

fn load(db: &Db, renderer: &Renderer, reference: &str) -> Result<ReadyDesign, IssueError> {
    let (design, pictures) = match DesignRef::parse(reference) {
        // A built-in design without pictures is prepared once per process by the renderer.
        DesignRef::BuiltIn(name) => {
            return Ok(ReadyDesign {
                prepared: renderer.prepared(&name)?,
                pictures: Arc::default(),
            })
        }
        DesignRef::Own { design_id, version } => {
            let mut conn = db.conn()?;
            let stored = db::designs::version(&mut conn, &design_id, version)?;
            drawable(&mut conn, &stored)?
        }
        DesignRef::Dressed {
            base,
            pictures: defaults,
        } => {
            let mut conn = db.conn()?;
            let (design, mut pictures) = match *base {
                DesignRef::BuiltIn(name) => {
                    let design = renderer
                        .built_in_designs()
                        .find(|d| d.name == name)
                        .cloned()
                        .ok_or(RenderError::UnknownDesign(name))?;
                    (design, BTreeMap::new())
                }
                DesignRef::Own { design_id, version } => {
                    let stored = db::designs::version(&mut conn, &design_id, version)?;
                    drawable(&mut conn, &stored)?
                }
                DesignRef::Dressed { .. } => {
                    return Err(RenderError::UnknownDesign(reference.to_string()).into())
                }
            };
            let design = dress(&mut conn, &design, &mut pictures, &defaults)?;
            (design, pictures)
        }
    };
    let started = std::time::Instant::now();
    let prepared = renderer.prepare(&design, &pictures)?;
    tracing::info!(
        design = reference,
        ms = started.elapsed().as_millis() as u64,
        "own design prepared"
    );
    Ok(ReadyDesign {
        prepared: Arc::new(prepared),
        pictures: Arc::new(pictures),
    })
}
