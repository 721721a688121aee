/** The language server process: speaks LSP on stdio (`node dist/server.js --stdio`). */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { logLevelFromArgs } from './logger.js';
import { startServer } from './server.js';

const logLevel = logLevelFromArgs(process.argv);
startServer(createConnection(ProposedFeatures.all), logLevel ? { logLevel } : {});
