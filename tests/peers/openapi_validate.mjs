// Validates an OpenAPI document with @apidevtools/swagger-parser (schema and references) and
// prints "METHOD path" for every operation in it. Usage: node openapi_validate.mjs FILE
import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';

const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
try {
  const api = await SwaggerParser.validate(doc);
  for (const [path, item] of Object.entries(api.paths)) {
    for (const method of Object.keys(item)) {
      if (['get', 'post', 'put', 'delete', 'patch', 'options', 'head'].includes(method)) {
        console.log(`${method.toUpperCase()} ${path}`);
      }
    }
  }
} catch (e) {
  console.error(`invalid OpenAPI document: ${e.message}`);
  process.exitCode = 1;
}
