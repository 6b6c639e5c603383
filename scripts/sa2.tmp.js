const t0=performance.now();
const v=require('./v3sa.tmp.js');
const t1=performance.now();
const doc=JSON.parse(require('fs').readFileSync('node_modules/@octokit/openapi/generated/api.github.com.json','utf8'));
const t2=performance.now();
const ok=v(doc); const t3=performance.now();
console.log(ok,{require:t1-t0,validate:t3-t2});
