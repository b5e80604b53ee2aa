/**
 * The page's only stylesheet and script, served from /admin/static with a
 * content hash in the URL so browsers cache them for good. The pages work
 * without the script; it adds live updates, copy-on-click and confirmations.
 */
export const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#222;background:#f6f6f4}
a{color:#0b5cad}header{display:flex;flex-wrap:wrap;gap:.2rem .8rem;align-items:center;padding:.5rem 1rem;background:#1f2a36;color:#fff}
header a{color:#dfe8f2;text-decoration:none}header a.on{color:#fff;font-weight:600;border-bottom:2px solid #6cb4ff}
header form{margin-left:auto}main{padding:1rem;max-width:1200px;margin:auto}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}th,td{border-bottom:1px solid #e3e3e3;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{font-weight:600;background:#fafafa}fieldset{border:1px solid #ddd;background:#fff;margin:.8rem 0;padding:.6rem}
input,select,textarea,button{font:inherit;padding:.25rem .4rem;margin:.1rem}button{cursor:pointer;border:1px solid #888;border-radius:4px;background:#fff}
.inline{display:inline}.muted{color:#777}.err{color:#b00020;font-weight:600}.ok{color:#176b2c}
.pill{display:inline-block;padding:0 .45rem;border-radius:9px;font-size:12px;color:#fff;background:#888}
.st-online,.st-active,.st-green,.st-created,.st-sent,.st-resolved{background:#2e8b3a}.st-lost,.st-expired,.st-red,.st-failed{background:#c62828}
.st-orange,.st-pending,.st-new{background:#ef7d00}.st-yellow,.st-in_progress{background:#e0b400;color:#222}.st-never,.st-grey,.st-not_sent,.st-skipped,.st-rejected{background:#9e9e9e}
.st-trial{background:#3b6fb6}pre.key{white-space:pre-wrap;word-break:break-all;background:#fffbe6;border:1px solid #e6d58a;padding:.6rem}
.card{background:#fff;border:1px solid #ddd;border-left:6px solid #ccc;margin:.5rem 0;border-radius:4px}
.card>summary,.head{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;padding:.4rem .6rem;cursor:pointer}
.body{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.6rem;padding:.4rem .6rem .8rem}
.body section{border-top:1px solid #eee}h4{margin:.4rem 0 .2rem;font-size:13px;color:#555}
.city{color:#fff;font-weight:700;padding:0 .35rem;border-radius:3px}.num{font-weight:700;cursor:copy}
details.pop{display:inline-block;position:relative}details.pop>summary{list-style:none;cursor:pointer}
details.pop[open]>div{position:absolute;z-index:5;background:#fff;border:1px solid #aaa;padding:.6rem;min-width:320px;box-shadow:0 2px 8px #0003}
.prob-new{background:#ffe0b2}.ico{font-size:11px;font-weight:600;border:1px solid #999;border-radius:3px;padding:0 .25rem;color:#444}
.body div{overflow-wrap:anywhere}s{color:#999}.flash{outline:2px solid #2e8b3a}
@media(max-width:600px){main{padding:.4rem}td,th{padding:.25rem}}
`;

export const JS = `
(function(){
var d=document;
function keepOpen(el){var o=[];el.querySelectorAll('details[open][id]').forEach(function(x){o.push(x.id)});return o}
function busy(el){var a=d.activeElement;if(a&&el.contains(a)&&/INPUT|TEXTAREA|SELECT/.test(a.tagName))return true;
var b=false;el.querySelectorAll('textarea,input[type=text]').forEach(function(x){if(x.value)b=true});return b}
d.querySelectorAll('[data-poll]').forEach(function(el){
var every=+el.getAttribute('data-every')||4000;
setInterval(function(){if(d.hidden||busy(el))return;
fetch(el.getAttribute('data-poll'),{credentials:'same-origin',headers:{'x-fragment':'1'}}).then(function(r){
if(r.status===401){location.reload();return}if(!r.ok)return;return r.text().then(function(h){
var open=keepOpen(el);el.innerHTML=h;open.forEach(function(id){var x=d.getElementById(id);if(x)x.open=true})})}).catch(function(){})},every)});
function copy(t,el){if(navigator.clipboard)navigator.clipboard.writeText(t).catch(function(){});el.classList.add('flash');setTimeout(function(){el.classList.remove('flash')},600)}
var timer;d.addEventListener('click',function(e){var el=e.target.closest&&e.target.closest('[data-copy]');if(!el)return;e.preventDefault();
clearTimeout(timer);timer=setTimeout(function(){copy(el.getAttribute('data-copy'),el)},250)});
d.addEventListener('dblclick',function(e){var el=e.target.closest&&e.target.closest('[data-copy2]');if(!el)return;clearTimeout(timer);copy(el.getAttribute('data-copy2'),el)});
d.addEventListener('click',function(e){var el=e.target.closest&&e.target.closest('[data-toggle]');if(!el)return;e.preventDefault();var x=d.getElementById(el.getAttribute('data-toggle'));if(x)x.open=!x.open});
d.addEventListener('submit',function(e){var m=e.target.getAttribute('data-confirm');if(m&&!confirm(m))e.preventDefault()});
})();
`;

function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export const CSS_URL = `/admin/static/app.${fnv(CSS)}.css`;
export const JS_URL = `/admin/static/app.${fnv(JS)}.js`;
