package dev.runctl.cli.report;

/** The frame of a report page: its style, its one script (the charts' hover read-out), legend. */
final class Page {
  private Page() {}

  static final String LEGEND =
      "<div class=\"legend\"><span class=\"sw o-succeeded\"></span>succeeded"
          + "<span class=\"sw o-failed\"></span>failed"
          + "<span class=\"sw o-cancelled\"></span>cancelled"
          + "<span class=\"sw o-interrupted\"></span>interrupted (runctl went away)"
          + "<span class=\"sw o-running\"></span>running"
          + "<span class=\"sw gapsw\"></span>runctl not running, until a resume reattached</div>";

  private static final String CSS =
      """
      :root{--fg:#111827;--dim:#6b7280;--line:#e5e7eb;--bg:#fff;--card:#f9fafb}
      *{box-sizing:border-box}
      body{margin:0;padding:24px 32px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);max-width:1560px}
      header{display:flex;align-items:center;justify-content:space-between;gap:16px;border-bottom:1px solid var(--line);padding-bottom:12px}
      h1{font-size:22px;margin:0}
      h2{font-size:15px;margin:28px 0 8px;text-transform:uppercase;letter-spacing:.06em;color:var(--dim)}
      .sub,.dim{color:var(--dim)}
      .outcome{font-size:18px;font-weight:700;padding:6px 16px;border-radius:999px;color:#fff;text-transform:uppercase;letter-spacing:.04em}
      .facts{display:flex;flex-wrap:wrap;gap:10px;margin-top:14px}
      .fact{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:110px}
      .fact .k{font-size:11px;color:var(--dim);text-transform:uppercase;letter-spacing:.05em}
      .fact .v{font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}
      .reason{background:#fef2f2;border-left:4px solid #dc2626;padding:8px 12px;white-space:pre-wrap}
      svg{display:block;width:100%;max-width:900px;height:auto}
      .timeline .label,.tick{font-size:11px;fill:var(--dim)}
      .timeline .label{fill:var(--fg)}
      .timeline .grid{stroke:var(--line)}
      .o-succeeded,.o-already_done{background:#16a34a;fill:#16a34a}
      .o-failed{background:#dc2626;fill:#dc2626}
      .o-cancelled{background:#d97706;fill:#d97706}
      .o-interrupted{background:#7c3aed;fill:#7c3aed}
      .o-running{background:#2563eb;fill:#2563eb}
      .legend{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;font-size:12px;color:var(--dim);margin-top:6px}
      .sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:-8px}
      .gapsw{background:repeating-linear-gradient(45deg,#f3f4f6 0 3px,#9ca3af 3px 5px)}
      .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:16px}
      figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 10px}
      figcaption{font-weight:600;margin-bottom:4px}
      .chart .plot{fill:#fff;stroke:var(--line)}
      .chart .grid{stroke:var(--line)}
      .chart .curve{stroke-width:1.8;stroke-linejoin:round}
      .chart .ckpt{stroke:#9ca3af;stroke-dasharray:3 3}
      .chart .cursor{stroke:#111827;stroke-width:.6}
      .chart .readout{font-size:12px;fill:var(--fg);font-variant-numeric:tabular-nums}
      pre{background:#0f172a;color:#e2e8f0;padding:12px 14px;border-radius:8px;overflow:auto;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;max-height:420px}
      table{border-collapse:collapse;min-width:420px}
      th,td{text-align:left;padding:4px 12px;border-bottom:1px solid var(--line)}
      th{font-size:12px;color:var(--dim);cursor:pointer;user-select:none}
      .num{text-align:right;font-variant-numeric:tabular-nums}
      tfoot td{font-weight:600}
      details.log{margin:6px 0}
      summary{cursor:pointer;font-weight:600}
      .none{color:var(--dim)}
      """;

  /** Hover on a chart: the nearest drawn point of each curve. Click on a header: sort by it. */
  private static final String JS =
      """
      document.querySelectorAll('svg.chart').forEach(function(svg){
        var g=svg.getAttribute('data-geom').split(',').map(Number);
        var curves=[].map.call(svg.querySelectorAll('.curve'),function(c){
          return {name:c.getAttribute('data-name'),
            xs:c.getAttribute('data-xs').split(',').filter(String).map(Number),
            ys:c.getAttribute('data-ys').split(',').filter(String).map(Number)};});
        var cur=svg.querySelector('.cursor'),out=svg.querySelector('.readout');
        svg.addEventListener('mousemove',function(ev){
          var r=svg.getBoundingClientRect(),px=(ev.clientX-r.left)*720/r.width;
          var x=g[2]+(px-g[0])/(g[1]-g[0])*(g[3]-g[2]),parts=[];
          curves.forEach(function(c){
            var lo=0,hi=c.xs.length-1;
            while(hi-lo>1){var m=(lo+hi)>>1;if(c.xs[m]>x){hi=m;}else{lo=m;}}
            var i=Math.abs(c.xs[hi]-x)>Math.abs(c.xs[lo]-x)?lo:hi;
            if(c.xs.length){parts.push((curves.length>1?c.name+' ':'')+c.ys[i]+' @'+c.xs[i]);}
          });
          var sx=Math.max(g[0],Math.min(g[1],px));
          cur.setAttribute('x1',sx);cur.setAttribute('x2',sx);
          out.textContent=parts.join('  ');
        });
        svg.addEventListener('mouseleave',function(){out.textContent='';cur.setAttribute('x1',-10);cur.setAttribute('x2',-10);});
      });
      document.querySelectorAll('table.sortable th').forEach(function(th,col){
        th.addEventListener('click',function(){
          var body=th.closest('table').tBodies[0],rows=[].slice.call(body.rows);
          var dir=th.getAttribute('data-dir')==='asc'?-1:1;th.setAttribute('data-dir',dir>0?'asc':'desc');
          rows.sort(function(a,b){
            var x=a.cells[col].getAttribute('data-v')||a.cells[col].textContent,y=b.cells[col].getAttribute('data-v')||b.cells[col].textContent;
            var nx=parseFloat(x),ny=parseFloat(y);
            return dir*(isNaN(nx)||isNaN(ny)?x.localeCompare(y):nx-ny);});
          rows.forEach(function(r){body.appendChild(r);});
        });
      });
      """;

  static void open(StringBuilder b, String title) {
    b.append(
            "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>"
                + "<meta charset=\"utf-8\"/><meta name=\"viewport\" content=\"width=device-width\"/>"
                + "<title>")
        .append(Html.esc(title))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>");
  }

  static void close(StringBuilder b) {
    b.append("<script>//<![CDATA[\n").append(JS).append("//]]></script></body></html>\n");
  }
}
