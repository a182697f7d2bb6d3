// prelude "express-app": an Express `app` (with form bodies parsed) and node:http as `http`, for
// snippets that add routes; use it with the "sessions" prelude.
import http from 'node:http';
import express from 'express';

const app = express();
app.use(express.urlencoded({ extended: false }));
