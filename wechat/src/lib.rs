//! WeChat protocol and API client. (Being built: see issue 3.)
