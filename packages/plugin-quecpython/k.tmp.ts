import { messageOfBodyXml } from "./src/handlers/quectel-element.js";
for (const x of ["<cwmp:Broken>", "<cwmp:A></cwmp:B>", "", "text only", "<cwmp:A/><cwmp:B/>"]) console.log(JSON.stringify(x), messageOfBodyXml(x)._tag, JSON.stringify(messageOfBodyXml(x)).slice(0,150));
