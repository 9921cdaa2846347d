//! Rules the web once kept in its handlers, now in the app so the web and the CLI share them:
//! nobody disables their own account; "all or a measure number" is read one way.

#![allow(clippy::unwrap_used)]

use crate::common;

use jili_app::AppError;
use jili_app::access::{Principal, Role};
use jili_app::users::NewUser;

const PASSWORD: &str = "a-long-enough-password";

#[tokio::test]
async fn an_office_user_cannot_disable_itself_but_can_disable_another() {
    let (_db, app) = common::reference_app().await;
    for name in ["zhou.office", "wu.office"] {
        app.add_user(&NewUser { name, display: name, role: Role::Office, password: PASSWORD }).await.unwrap();
    }
    let zhou = app.acting_as(Principal { name: "zhou.office".into(), role: Role::Office });

    let err = zhou.set_user_disabled(" zhou.office ", true).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(m) if m.contains("不能停用自己")), "{err}");
    assert!(zhou.users().await.unwrap().iter().any(|u| u.name == "zhou.office" && !u.disabled), "still enabled");

    // Another office user may disable it, and the other way round.
    zhou.set_user_disabled("wu.office", true).await.unwrap();
    assert!(zhou.users().await.unwrap().iter().any(|u| u.name == "wu.office" && u.disabled));
    let wu = app.acting_as(Principal { name: "wu.office".into(), role: Role::Office });
    wu.set_user_disabled("zhou.office", true).await.unwrap();
    assert!(app.users().await.unwrap().iter().any(|u| u.name == "zhou.office" && u.disabled));
}

/// "all or a measure number": one reading for the page form, the API and the CLI.
#[test]
fn a_measure_choice_is_all_or_a_number() {
    use jili_app::runs::run::parse_measure_choice;
    assert_eq!(parse_measure_choice("").unwrap(), None);
    assert_eq!(parse_measure_choice(" ALL ").unwrap(), None);
    assert_eq!(parse_measure_choice(" 3 ").unwrap(), Some(3));
    for bad in ["0", "-1", "三", "3.5", "all3"] {
        let err = parse_measure_choice(bad).unwrap_err();
        assert!(matches!(&err, AppError::Invalid(m) if m.contains("1–20")), "{bad}: {err}");
    }
}
