//! WeChat emulator. (Being built: see issue 4.)
