//! The demo template of a test run, one recipe for the app's and the web's tests (the web's
//! include this file): a template is shared by name, so two recipes under one name would
//! give whichever built first.

use jili_app::App;
use std::path::PathBuf;

/// The file of the demo template ([`jili_testkit::template`]: built once for all the test
/// binaries of a `cargo test`): `App::build_demo` into a fresh database, keyed by the bundled
/// data and the version. Copy it, never open it.
pub fn demo_template() -> PathBuf {
    let data = jili_testkit::files_under(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"));
    let inputs: &[&[u8]] = &[&data, env!("CARGO_PKG_VERSION").as_bytes()];
    jili_testkit::template("app-demo", inputs, |path| {
        let url = path.display().to_string();
        // Its own thread and runtime: this may be called from inside a test's runtime.
        std::thread::spawn(move || {
            tokio::runtime::Runtime::new().expect("a runtime").block_on(async {
                let app = App::open(&url, "测试").await.expect("the template opens");
                app.build_demo(&|_| {}).await.expect("the demo builds");
                app.close().await;
            })
        })
        .join()
        .expect("the demo template is built")
    })
}
