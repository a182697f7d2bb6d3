// prelude "session-manager": SessionManager in scope, for snippets that construct one.
import { SessionManager } from '@hallpass/core';
