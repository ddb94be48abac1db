/* SPDX-License-Identifier: MIT */
/*
 * Phrasings in the terse style: heavy abbreviation and shorthand as typed
 * between jobs (IP, OIC, H2H, LOE, NFA, VCOP, s/w, w/s, CAD, SOCO, o/s,
 * TBC, neg, circ'd, RUI, FTA).  Each phrasing keeps its class's meaning
 * (phrases.h): a phrase moved to another class changes the truth.
 */
#include "synth/phrases.h"

static const char *const report_cad[] = {
    "999 from IP re {off}. {cad}.",
    "101 call - IP rptg {off}. {cad} refs.",
    "Rpt of {off} via {cad}, passed to CMU.",
    "Call rcvd via FCR, {cad}. IP states {off}.",
    "Inc {cad}: report of {off} from W1.",
    "Rpt via 999, {cad} refers. THRIVE by call handler - std.",
    "IP rang in re {off}. Logged {cad}.",
};

static const char *const report_direct[] = {
    "Online rpt via force website. No CAD.",
    "Front counter rpt at {station} - recorded direct.",
    "Rpt by phone direct to CMU, no inc created.",
    "3rd party rpt by email. Direct.",
    "SOH online report rcvd.",
    "Walk-in at {station}, no CAD raised.",
};

static const char *const attend[] = {
    "Att'd. IP s/w, acct taken.",
    "O/S at {addr}. IP seen, details obtained.",
    "Att'd HA, IP seen + reassured. CP advice given.",
    "Att'd scene - IP present, first acct taken.",
    "Att'd as req. s/w IP, no injuries.",
    "Att'd {addr}, IP seen. Details taken, crime ref given.",
    "Att'd. IP seen at HA, upset. Account obtained.",
    "On scene {time}, IP s/w.",
};

static const char *const record[] = {
    "Crimed as {off}.",
    "Rec'd as {off} (HOCR).",
    "Crime rec'd - {off}. NCRS compliant.",
    "CRIS created: {off}.",
    "Crimed. Class: {off}.",
    "Crime report done - {off}.",
};

static const char *const alloc[] = {
    "Alloc to {oic}.",
    "OIC {oic}.",
    "Reallocated to {oic} - orig OIC on AL.",
    "Alloc'd LPT, OIC {oic}.",
    "Transf to CID.",
    "Tfr to {oic} on {street} beat.",
    "Alloc - {oic} (OIC).",
    "Moved to SIT queue.",
};

static const char *const action[] = {
    "CCTV trawl {street} - neg.",
    "CCTV seized {shop}, exh {exh}.",
    "CCTV viewed - offender not ID'able.",
    "CCTV {shop} viewed, 1 x IC1 male seen, no face.",
    "Area chkd for CCTV - none covering.",
    "H2H {street} 1-{n} - neg.",
    "H2H done, nil.",
    "H2H - {n} doors, no w/s.",
    "SOCO att'd - lifts from rear window.",
    "SOCO exam done, no forensic opps.",
    "DNA swab subm to lab, exh {exh}.",
    "Footwear marks photo'd + seized ({exh}).",
    "MG11 obtained from IP.",
    "w/s taken from W1 at scene.",
    "ABE done with IP.",
    "VRI with IP completed.",
    "BWV reviewed + exh'd {exh}.",
    "ANPR on IP's veh {vrm} - no hits.",
    "Bank enqs re card use - reply rcvd, 2 x txns at {shop}.",
    "s/w staff at {shop} - nil seen.",
    "Enqs w/ neighbours at {addr} - nil.",
    "Scene photo'd, glass seized {exh}.",
    "Phone dl of IP's handset done - msgs exh'd.",
    "Soc media enqs on the threats - screenshots exh'd {exh}.",
    "Pawn shop enqs re stolen items - neg.",
    "PNC chk on stolen bike frame no - not recorded.",
};

static const char *const noaction[] = {
    "No CCTV in area.",
    "IP states no CCTV, no wits.",
    "H2H not done - shift ended.",
    "CCTV o/s.",
    "H2H TBC.",
    "CCTV to be viewed when OIC back on.",
    "Intel chks on the van still to do.",
    "Statement appt booked {day} for IP.",
    "Req'd CCTV from {shop} - awaiting.",
    "No forensic opps. SOCO not req'd.",
    "No LOE at this time.",
    "Door knocking not poss - no staff.",
    "CCTV s/h been seized day 1.",
    "Unable to obtain w/s - IP declined.",
    "Enqs to follow.",
    "Nil wits, nil CCTV, nil forensics.",
};

static const char *const plan[] = {
    "Inv plan: arrest + int {person}, MG11 IP, CCTV {shop}.",
    "Plan - 1) arrest NS 2) w/s IP 3) CCTV.",
    "LOE: arr/int {person}, H2H {street}, CCTV.",
    "Inv plan set: VA/arrest suspect, ABE IP.",
    "Plan: NS to be arr'd on sight, MG11 W1.",
    "Actions: arr {person}, int, PNC/intel on NS.",
};

static const char *const noplan[] = {
    "NS - plan TBC.",
    "Inv plan to follow.",
    "No plan yet.",
    "Plan to be agreed w/ sgt.",
    "Susp details from IP - plan o/s.",
};

static const char *const arrest[] = {
    "Susp arr'd at HA for {off}.",
    "NS arr'd + int'd - denies.",
    "Arr'd {person} for {off}. Int - NC.",
    "Susp arr'd, conv to {station}, int'd, full admissions.",
    "DP arr'd s.24 for {off}, int'd under caution.",
};

static const char *const va[] = {
    "VA int done w/ susp - denies.",
    "Susp att'd VA, int'd under caution, NC.",
    "VA completed at {station}, admits.",
};

static const char *const suspect[] = {
    "Att'd susp HA {addr} to arr - NFI, no reply.",
    "Arr attempt at NS HA - not in, card left.",
    "PNC/intel on NS - HA confirmed {addr}.",
    "VA letter sent to NS.",
    "VA booked w/ susp's sol for {day}.",
    "s/w NS mother - says not seen him, to pass on msg.",
    "Soc media chks on NS - acct active, no locn.",
    "NS circ'd on PNC as wanted.",
    "Workplace chk for NS - not on shift, empl to call.",
};

static const char *const suspect_near[] = {
    "NS to be arr'd when located.",
    "Arr attempt not done - no resources.",
    "VA to be arranged.",
    "NS HA chks still to do.",
    "Susp s/h been arr'd at scene.",
    "NS not yet arr'd or int'd.",
    "Intel req on NS TBC.",
};

static const char *const review[] = {
    "{myrank} rev: prop, LOE ok. Next rev {date}.",
    "Rev'd. OIC to chase CCTV + H2H. Rev 28d.",
    "Good work so far. OIC - trace W2, get w/s.",
    "THRIVE agreed, std. Cont inv.",
    "File chkd - classification correct, LOE set. OIC to update IP wkly.",
    "Sup rev: OIC pls seize CCTV today.",
    "Agree current approach. ABE to be booked by OIC.",
    "Looked at this - prop enqs in place, cont.",
    "Rev - OIC to submit forensics + H2H {street}.",
    "DDM: inv to cont. Next rev {date}.",
    "{myrank} rev done. Happy w/ progress.",
};

static const char *const review_near[] = {
    "Sgt aware.",
    "For PS rev pls.",
    "Sent to {sgt} for rev.",
    "Awaiting sgt rev.",
    "Disc'd w/ {sgt} who agrees.",
    "PS aware + agrees w/ plan.",
    "Sup rev req'd - no resp yet.",
    "Sgt rev: [ ]",
};

static const char *const review_near_sup[] = {
    "Rev due {ddmm}.", "Not rev'd yet - next shift.", "{myrank} rev: TBC.",
    "File rcvd.",      "Will rev on return from AL.", "Rev o/s, on my list.",
};

static const char *const self_review[] = {
    "OIC rev - nothing further to add.",
    "Rev'd my crime, update to follow.",
    "Own rev done - awaiting sgt.",
};

static const char *const staff_qa[] = {
    "QA - class correct, N100 ok.",
    "CSU QA done, HOCR compliant.",
    "Crime standards QA: ok.",
    "DMU chk - vuln flag added.",
};

static const char *const endorse[] = {
    "Rev'd - agree file, no further prop LOE.",
    "Agree NFA. Rationale: LOE exhausted.",
    "File auth'd.",
    "{myrank} rev: ok to file PFI.",
    "Endorse filing - nil further.",
    "Happy to file, outcome 18.",
};

static const char *const vupdate[] = {
    "IP upd by phone.",
    "VCOP upd done - no change.",
    "IP upd, happy.",
    "Upd ltr to IP.",
    "IP upd in person at HA.",
    "Emailed IP upd as per contact agrmt.",
    "IP upd via text.",
    "VCOP: IP upd re progress, next upd {date}.",
    "Victim upd - no change, IP ok.",
};

static const char *const vattempt[] = {
    "Tried IP - no ans, VM left.", "Upd attempt - no reply.",
    "IP not contactable, no upd.", "Called IP - no. unobtainable.",
    "IP not upd - OIC on RDs.",    "No VCOP upd this mth.",
};

static const char *const screen[] = {
    "Screened out - no LOE, no susp. Filed PFI.",
    "Solvability nil. Screened out, O18.",
    "Not for further inv - SO, filed.",
    "Screen: no prop LOE. NFA, filed.",
    "Filed at screening, O18.",
};

static const char *const file[] = {
    "Filed PFI, O18.",
    "Filed undetected.",
    "NFA - filed.",
    "O18 - no susp ID'd. Filed.",
    "Filed pending further info.",
};

static const char *const told[] = {
    "IP told crime filed, no further inv.",
    "VCOP ltr re no further inv sent.",
    "IP informed - screened out, ok.",
    "s/w IP, explained NFA at screening.",
    "Victim advised - no further action.",
};

static const char *const told_near[] = {
    "IP to be told re filing.",
    "Filing ltr not sent yet.",
    "Tried IP re filing - no ans.",
};

static const char *const out_charge[] = {
    "Charged {off}, bailed to court.",
    "CPS auth charge. Chg'd + remanded.",
    "O1 - chg/summons.",
};

static const char *const out_cr[] = {
    "CR issued, IP agrees.",
    "O8 - CR.",
};

static const char *const out_15[] = {
    "O15 - evidential diffs, IP supports.",
    "O15 - susp ID'd, evid diffs.",
};

static const char *const out_16[] = {
    "IP no longer supports - O16.",
    "O16: IP withdrew support.",
};

static const char *const out_told[] = {
    "IP told of outcome.",
    "Outcome ltr to IP.",
    "IP upd w/ result, ok.",
};

static const char *const noise[] = {
    "THRIVE: std risk.",
    "Needs assmt done.",
    "VS referral w/ consent.",
    "Property rec'd on sys.",
    "Crime ref given to IP for insurance.",
};

static const char *const noise_vuln[] = {
    "Vuln markers chkd - enhanced.",
    "MASH referral subm.",
};

static const char *const noise_viol[] = {
    "DASH - medium.",
    "Injs noted, first aid given.",
};

static const char *const w_decide[] = {
    "Decision to circ {person} wanted for {off} ({crime}).",
    "NS o/s for {off}, to be circ'd PNC.",
    "{person} wanted re {crime}.",
    "Grounds to arr {person} for {off} - circ req'd.",
};

static const char *const w_circ[] = {
    "Circ'd PNC wanted.",        "PNC WM rpt created {pnc}.", "WM on PNC.",
    "PNC circ done, ref {pnc}.", "Circ'd PNC + PND.",
};

static const char *const trace[] = {
    "HA chk {addr} - NFI.",
    "Arr attempt at HA - no trace.",
    "Att'd LKA, occupant says subj moved out.",
    "Intel chks - poss new addr {addr}.",
    "Custody + hosp chks - neg.",
    "Soc media chks - no trace.",
    "ANPR on {vrm} - no hits.",
    "Probation enqs - no current addr.",
    "Workplace chk - subj not there.",
    "Early doors arr attempt {addr} - no reply.",
    "s/w family, whereabouts unk.",
    "Mobile no. chkd - dead line.",
    "DWP chk - addr {addr}, att'd, NFI.",
    "Sighting on {street} followed up - not found.",
};

static const char *const notrace[] = {
    "No trace enqs this period.",   "Trace enqs o/s.", "Wanted - remains o/s.",
    "Trace actions to be alloc'd.", "HA chk TBC.",     "Intel req to be subm.",
};

static const char *const w_review[] = {
    "Wanted rev: remains o/s, trace plan ok. Next rev {date}.",
    "Rev'd - cont circ, OIC pls do early doors at HA.",
    "{myrank} rev: circ still prop + nec.",
    "28d rev - refer to proactive team.",
    "OIC to chk new addr from intel this wk.",
    "Rev done, good trace effort. Cont.",
};

static const char *const w_review_near[] = {
    "Rev due - sent to PS.",
    "Awaiting 28d rev.",
    "Sup rev o/d.",
};

static const char *const w_close_arrest[] = {
    "Arr'd by {ofc} at {addr}, WM cancelled.",
    "Located + arr'd after stop chk.",
    "Handed self in at {station}, arr'd, circ cancelled.",
};

static const char *const w_close_cancel[] = {
    "Circ cancelled - NFA per CPS.",
    "WM removed, no longer req'd.",
};

static const char *const b_arrest[] = {
    "Arr'd on susp of {off}.",
    "DP arr'd {off}, conv {station}.",
    "Arr'd at {addr} for {off}.",
};

static const char *const b_bailed_new[] = {
    "PCB auth'd to {bail} - conds: no contact IP.",
    "Custody officer: PCB granted by me, rtn {bail}.",
    "Bail auth'd by me as custody officer, rtn {station} {bail}.",
};

static const char *const b_bailed_old[] = {
    "PCB auth'd 28 days, rtn {bail}.",
    "I auth PCB, rtn {bail}.",
    "{myrank} auth: bail to {bail} at {station}.",
};

static const char *const b_bailed_note[] = {
    "DP bailed by custody to {bail}.",
    "Bailed - rtn {bail} {station}.",
    "DP on PCB till {bail}.",
};

static const char *const b_rui[] = {
    "DP RUI - awaiting forensics.",
    "RUI pending CPS adv.",
    "Released RUI.",
};

static const char *const b_rui_auth[] = {
    "RUI auth'd - bail not nec or prop.",
    "I auth RUI pending lab results.",
    "Custody: RUI agreed, no conds needed.",
};

static const char *const b_ext_auth[] = {
    "Bail ext auth'd to {bail}.",
    "Ext PCB to {bail} auth'd - inv diligent + expeditious.",
    "I auth ext of bail to {bail}.",
    "Ext approved, new rtn {bail}.",
};

static const char *const b_ext_noauth[] = {
    "Bail ext to {bail}.",
    "New bail date {bail}, DP told.",
    "Bail moved to {bail} pending results.",
};

static const char *const b_ext_req[] = {
    "Ext req'd - for Insp auth.",
    "Bail ext req subm, awaiting decision.",
    "Ext req sent - no reply yet.",
};

static const char *const b_fta[] = {
    "FTA at {station}.",
    "DP FTA'd bail. s.46A.",
    "DP DNA bail appt - FTA.",
    "Failed to answer bail as req'd.",
};

static const char *const b_fta_circ[] = {
    "Circ'd PNC wanted s.46A FTA.",
    "PNC circ done - FTA bail.",
    "WM on PNC for FTA.",
};

static const char *const b_circ_near[] = {
    "To be circ'd on PNC.",
    "PNC circ not done yet.",
    "Circ req'd from PNC bureau.",
    "Needs circ - OIC on RDs.",
};

static const char *const b_answer[] = {
    "Answered bail at {station}.",
    "DP answered bail as req'd.",
    "Ans'd bail - chg'd on CPS auth.",
    "DP surrendered to bail, booked in.",
};

static const char *const b_fta_arrest[] = {
    "Located at {addr}, arr'd s.46A.",
    "Arr'd for FTA after HA chk.",
    "Found at {addr} + arr'd FTA.",
};

static const char *const b_fta_surrender[] = {
    "Handed self in at {station} FC, arr'd s.46A.",
    "DP att'd {station} of own accord, arr'd FTA.",
};

static const char *const b_rui_review[] = {
    "RUI rev - remains RUI, awaiting forensics. Next rev {date}.",
    "{myrank} rev RUI: prop, cont.",
    "Rev'd RUI - OIC to chase lab + CPS.",
    "28d RUI rev done, still nec.",
};

static const char *const b_rui_near[] = {
    "RUI - still awaiting results.",
    "RUI rev due.",
    "Chased lab - no rev yet.",
};

const struct phrase_set phrases_terse[PH__COUNT] = {
    PHRASE_CLASSES(PHRASE_TABLE_ENTRY)};
