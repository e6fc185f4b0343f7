/** Served from our own route so the CSP can forbid every inline style and script. */
export const CONSOLE_CSS = `
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
a{color:#0b57d0}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header{background:#1f2937;color:#fff;padding:8px 16px}
header a{color:#fff;margin-right:12px}
main{padding:16px}
table{border-collapse:collapse;background:#fff}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.badge{padding:2px 6px;border-radius:4px;background:#e5e7eb}
.badge[data-status=RUNNING]{background:#bfdbfe}.badge[data-status=SUCCEEDED]{background:#bbf7d0}
.badge[data-status=FAILED],.badge[data-status=ABORTED]{background:#fecaca}
pre{background:#111827;color:#e5e7eb;padding:8px;overflow:auto;max-height:60vh}
`;

/** Progressive parts: a live log followed over a streamed fetch, and run fields polled while RUNNING. */
export const CONSOLE_JS = `
(function(){
  var log=document.querySelector('pre[data-log-src]');
  if(log){
    log.setAttribute('data-log-state','following');
    fetch(log.getAttribute('data-log-src')).then(function(res){
      var reader=res.body.getReader();var decoder=new TextDecoder();
      log.textContent='';
      function next(){return reader.read().then(function(r){
        if(r.done){log.setAttribute('data-log-state','ended');return;}
        log.textContent+=decoder.decode(r.value,{stream:true});return next();});}
      return next();
    }).catch(function(){log.setAttribute('data-log-state','ended');});
  }
  var fields=document.querySelector('[data-fields-src]');
  if(fields&&fields.getAttribute('data-status')==='RUNNING'){
    var timer=setInterval(function(){
      fetch(fields.getAttribute('data-fields-src')).then(function(r){return r.json();}).then(function(f){
        Object.keys(f).forEach(function(k){
          var el=document.querySelector('[data-field="'+k+'"]');if(el)el.textContent=String(f[k]);
        });
        var badge=document.querySelector('.badge[data-field=status]');if(badge)badge.setAttribute('data-status',f.status);
        if(f.status!=='RUNNING'&&f.status!=='READY'){clearInterval(timer);}
      });
    },1000);
  }
})();
`;

export const CONSOLE_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
