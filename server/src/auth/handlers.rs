use std::net::{IpAddr, SocketAddr};

use api::auth::{ChangePasswordRequest, LoginRequest, Me, SessionState, UpdateMeRequest};
use axum::{
    extract::{ConnectInfo, FromRequestParts, State},
    http::{HeaderMap, StatusCode, request::Parts},
};
use tower_sessions::Session;

use super::service;
use crate::auth::CurrentUser;
use crate::{
    config::IpCidr,
    error::{AppError, AppResult},
    http::extract::{Json, Path},
    state::AppState,
};

/// The client's address: the TCP peer, or — when the peer is a trusted proxy
/// (`--trusted-proxy`) — the address it reports in `X-Forwarded-For`.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(match peer {
            Some(peer) => {
                client_ip(peer, &parts.headers, &state.settings.trusted_proxies).to_string()
            }
            None => "unknown".to_string(),
        }))
    }
}

/// Walk `X-Forwarded-For` from the right while the hop we got it from is a trusted proxy: the
/// first address not in a trusted range is the client. Without a trusted peer the header is
/// ignored; an unparsable entry ends the walk at the last trusted hop's report.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpCidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer.to_canonical();
    if !is_trusted(client) {
        return client;
    }
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect::<Vec<_>>();
    for hop in hops.into_iter().rev() {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            break;
        };
        client = ip.to_canonical();
        if !is_trusted(client) {
            break;
        }
    }
    client
}

fn me_json(me: Me) -> axum::Json<Me> {
    axum::Json(me)
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    body: Json<LoginRequest>,
) -> AppResult<axum::Json<Me>> {
    service::login(&state, &session, &ip, body.value)
        .await
        .map(me_json)
}

pub async fn logout(session: Session) -> AppResult<StatusCode> {
    service::logout(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user or `null`: the public twin of `me` for the SPA's start, so a visitor
/// who is not signed in causes no 401.
pub async fn session(
    State(state): State<AppState>,
    session: Session,
) -> AppResult<axum::Json<SessionState>> {
    let me = service::session_user(&state, &session)
        .await?
        .map(|u| service::me(&u.model));
    Ok(axum::Json(SessionState { me }))
}

pub async fn me(user: CurrentUser) -> axum::Json<Me> {
    me_json(service::me(&user.model))
}

pub async fn update_me(
    State(state): State<AppState>,
    user: CurrentUser,
    body: Json<UpdateMeRequest>,
) -> AppResult<axum::Json<Me>> {
    service::update_me(&state, &user, body.value.lang)
        .await
        .map(me_json)
}

/// Admin: forget every failed sign-in of a staff member's username (ends its backoff).
pub async fn unlock(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::unlock(&state, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    body: Json<ChangePasswordRequest>,
) -> AppResult<StatusCode> {
    service::change_password(&state, &session, &ip, &user, body.value).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let trusted: Vec<IpCidr> = vec!["10.0.0.0/8".parse().unwrap()];
        let h = headers(&["203.0.113.9"]);
        // Untrusted peer: the header is ignored.
        assert_eq!(
            client_ip(ip("198.51.100.1"), &h, &trusted),
            ip("198.51.100.1")
        );
        assert_eq!(client_ip(ip("10.0.0.2"), &h, &[]), ip("10.0.0.2"));
        // Trusted peer: the address it reports.
        assert_eq!(client_ip(ip("10.0.0.2"), &h, &trusted), ip("203.0.113.9"));
        // A spoofed leftmost entry is not believed: the first untrusted hop from the right wins.
        let h = headers(&["1.2.3.4, 203.0.113.9", "10.0.0.7"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, &trusted), ip("203.0.113.9"));
        // Garbage stops the walk at the last trusted hop's report.
        let h = headers(&["203.0.113.9, garbage, 10.0.0.7"]);
        assert_eq!(client_ip(ip("10.0.0.2"), &h, &trusted), ip("10.0.0.7"));
        // No header: the proxy itself.
        assert_eq!(
            client_ip(ip("10.0.0.2"), &HeaderMap::new(), &trusted),
            ip("10.0.0.2")
        );
        // IPv4-mapped peers match IPv4 ranges.
        let h = headers(&["203.0.113.9"]);
        assert_eq!(
            client_ip(ip("::ffff:10.0.0.2"), &h, &trusted),
            ip("203.0.113.9")
        );
    }
}
