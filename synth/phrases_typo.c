/* SPDX-License-Identifier: MIT */
/*
 * Phrasings in the typo style: quick entries from a phone or a vehicle
 * terminal, with misspellings, missing punctuation and wrong capitals.
 * The mistakes never touch what makes the meaning (a negation is never
 * lost, "to be done" never reads as "done"); each phrasing keeps its
 * class's meaning (phrases.h).
 */
#include "synth/phrases.h"

static const char *const report_cad[] = {
    "999 call from ip reporting {off} {cad}",
    "ip rang 101 re {off} - {cad} refers",
    "REPORT OF {off} from caller {cad}",
    "inc {cad} created by control room, ip says {off}",
    "call recieved from witness {cad}",
};

static const char *const report_direct[] = {
    "online report recieved no cad",
    "report at {station} front counter recorded direct",
    "reported over phone to cmu no incident made",
    "3rd party report by email recorded direct",
};

static const char *const attend[] = {
    "attended ip seen and spoke to",
    "ATTENDED ip seen details taken",
    "attneded {addr} ip seen, gave crime prevention advice",
    "on scene ip present no injurys account taken",
    "atended spoke with ip who was v upset",
    "attended HA ip seen intial account obtained",
};

static const char *const record[] = {
    "crime recorded as {off}",
    "Crimed {off}",
    "recorded as {off} in line with hocr",
    "crime report compelted {off}",
};

static const char *const alloc[] = {
    "allocated to {oic}",    "alocated {oic} as oic", "transfered to cid",
    "re allocated to {oic}", "oic now {oic}",
};

static const char *const action[] = {
    "cctv trawl done negative",
    "CCTV seized from {shop} exhibit {exh}",
    "viewed cctv offender not identifable",
    "checked area for cctv none covers the carpark",
    "h2h done on {street} nothing seen",
    "house to house compelted no witnesess",
    "csi attended finger prints lifted from window",
    "soco attended no forensic oppertunities",
    "dna swab submited exhibit {exh}",
    "statment taken from ip",
    "mg11 obtained from witness {sname}",
    "abe done with ip",
    "bwv reveiwed and exhibited {exh}",
    "spoke to staff at {shop} noone saw anything",
    "bank replied re card use 2 transactions at {shop}",
    "anpr on ip's car {vrm} no hits",
    "neighbours at {addr} spoken to none heard anythign",
    "downloaded ip's phone msgs exhibited",
};

static const char *const noaction[] = {
    "no cctv in area",
    "ip says no cctv and no wits",
    "h2h not done shift ended",
    "cctv still to be viewed",
    "intel checks on van still to do",
    "statment appointment booked for {day}",
    "requested cctv from {shop} not recieved yet",
    "ip declined to give statment",
    "cctv should of been seized on day 1",
    "no forensic opps csi not requested",
    "will do h2h next shift",
    "no loe",
};

static const char *const plan[] = {
    "inv plan arrest {person} interview mg11 from ip cctv",
    "plan - arrest and intervew suspect, get cctv from {shop}",
    "investigation plan: locate + arrest suspect, abe with ip",
    "LOE arrest {person}, h2h {street}, cctv",
};

static const char *const noplan[] = {
    "named suspect plan to follow",
    "no plan set yet",
    "plan to be agreed with sgt",
};

static const char *const arrest[] = {
    "suspect arested at home address for {off}",
    "named suspect arrested and interviewd denies",
    "arrested {person} interviewed no comment",
    "susp arrested conveyed to {station} interview full admissions",
};

static const char *const va[] = {
    "suspect attended voluntry interview denied",
    "va interview done with suspect admits",
    "interviewed suspect by appointment (VA) at {station}",
};

static const char *const suspect[] = {
    "attended suspects address {addr} to arrest no reply",
    "tried to arrest suspect at home not in card left",
    "pnc and intel checks on suspect address confirmed {addr}",
    "va letter sent to suspect",
    "intervew arranged with suspects solicitor for {day}",
    "spoke to suspects mum not seen him will pass msg on",
    "suspect circualted on pnc as wanted",
};

static const char *const suspect_near[] = {
    "suspect to be arrested when found",
    "no arrest attempt yet no officers",
    "va still to be arranged",
    "suspect address checks still to do",
    "suspect should of been arrested at scene",
    "suspect not yet arrested or interviewed",
};

static const char *const review[] = {
    "{myrank} reveiw - ok progress, oic to chase cctv",
    "gone thru file good work so far trace 2nd witness",
    "reviewd. proportionate. next review {date}",
    "pls seize cctv from {shop} today and do h2h",
    "agree risk assesment, continue inv",
    "happy with enquires so far, get statment off neighbour",
    "{myrank} review inv proportionate continue",
    "looked at this - correct classification, oic to update ip weekly",
};

static const char *const review_near[] = {
    "sgt aware",
    "for ps review",
    "sent to {sgt} for reveiw",
    "awaiting sgt review",
    "discussed with {sgt} who agrees",
    "ps aware and happy",
};

static const char *const review_near_sup[] = {
    "will review next shift", "not reviewed yet on my list",
    "review due {ddmm}",      "file recieved",
    "{myrank} review: tbc",
};

static const char *const self_review[] = {
    "reviewed my crime nothing to add",
    "oic review done waiting for sgt",
};

static const char *const staff_qa[] = {
    "qa done classification correct",
    "crime standards qa ok",
    "dmu check vuln flag added",
};

static const char *const endorse[] = {
    "agree to file no further loe",    "happy to file outcome 18",
    "ok to file pending further info", "agree nfa, rationale no prop loe left",
    "reviewd - endorse filing",
};

static const char *const vupdate[] = {
    "ip updated by phone",
    "vicitm updated no change",
    "IP UPDATED happy with progress",
    "update letter sent to ip",
    "emailed ip update as agreed",
    "text sent to ip with update",
    "vcop update done next one {date}",
    "updated ip in person at ha",
};

static const char *const vattempt[] = {
    "tried ip no answer left vm",
    "no reply from ip for update",
    "couldnt get hold of ip",
    "ip number not working",
    "no update this month oic on leave",
};

static const char *const screen[] = {
    "screened out no loe no suspect filed",
    "not for further investigation screened out filed o18",
    "screening - no proportionate loe filed",
};

static const char *const file[] = {
    "filed outcome 18",
    "crime filed pending further info",
    "nfa filed undetected",
};

static const char *const told[] = {
    "ip told crime filed no further inv",
    "letter sent to ip re no further investigaton",
    "vicitm told screened out, understands",
    "phoned ip explained it wont be investigated",
};

static const char *const told_near[] = {
    "ip still to be told re filing",
    "filing letter not sent yet",
    "tried ip re filing no answer",
};

static const char *const out_charge[] = {
    "charged with {off} bailed to court",
    "cps authorised charge, charged and remanded",
};

static const char *const out_cr[] = {
    "community resolution issued ip agrees",
    "outcome 8 cr",
};

static const char *const out_15[] = {
    "outcome 15 evidential difficultys ip supports",
    "o15 suspect id'd not enough evidence",
};

static const char *const out_16[] = {
    "ip doesnt support prosecution outcome 16",
    "o16 ip withdrew support",
};

static const char *const out_told[] = {
    "ip told outcome",
    "vicitm informed of result",
    "outcome letter sent to ip",
};

static const char *const noise[] = {
    "thrive standard risk",
    "needs assesment done",
    "victim support referal made",
    "property recorded",
    "crime ref given to ip for insurance",
};

static const char *const noise_vuln[] = {
    "vuln markers checked enhanced",
    "mash referal done",
};

static const char *const noise_viol[] = {
    "dash done medium",
    "injurys noted first aid given",
};

static const char *const w_decide[] = {
    "decision to circulate {person} wanted for {off} {crime}",
    "suspect outstanding for {off} needs circulating on pnc",
    "{person} wanted re {crime}",
};

static const char *const w_circ[] = {
    "circulated on pnc as wanted",
    "pnc wanted report done ref {pnc}",
    "wanted marker on pnc",
    "circualted pnc and pnd",
};

static const char *const trace[] = {
    "address check {addr} no trace",
    "tried to arrest at home address not there",
    "attended LKA occupant says subject moved out",
    "intel checks poss new adress {addr}",
    "checked custody and hospitals negative",
    "social media checks nothing",
    "anpr on {vrm} no hits",
    "probation enquirys no address",
    "went to workplace subject not there",
    "early morning arrest attempt {addr} no reply",
    "spoke to family dont know where subject is",
    "sighting on {street} followed up not found",
};

static const char *const notrace[] = {
    "no trace enquiries this period",
    "trace enquires outstanding",
    "still wanted",
    "address check to do",
};

static const char *const w_review[] = {
    "wanted reveiw remains outstanding trace ok next review {date}",
    "pls do early morning arrest attempt at ha this week",
    "circulation still proportionate refer to proactive team",
    "looked at trace log good effort continue",
    "oic to check new address from intel",
};

static const char *const w_review_near[] = {
    "review due sent to ps",
    "awaiting 28 day reveiw",
    "sup review overdue",
};

static const char *const w_close_arrest[] = {
    "arrested by {ofc} at {addr} wanted marker cancelled",
    "located and arested after stop check",
};

static const char *const w_close_cancel[] = {
    "circulation cancelled nfa from cps",
    "wanted marker removed not needed",
};

static const char *const b_arrest[] = {
    "arrested on suspicion of {off}",
    "arested for {off} taken to {station}",
};

static const char *const b_bailed_new[] = {
    "pre charge bail authorised by me to {bail} no contact conditions",
    "bail granted by me as custody sgt return {bail}",
};

static const char *const b_bailed_old[] = {
    "i authorise pre charge bail 28 days return {bail}",
    "bail authorized return to {station} {bail}",
};

static const char *const b_bailed_note[] = {
    "bailed by custody to {bail}",
    "on bail till {bail}",
};

static const char *const b_rui[] = {
    "released under investigation awaiting forensics",
    "rui pending cps advice",
};

static const char *const b_rui_auth[] = {
    "rui authorised bail not needed",
    "i authorise rui pending lab results",
};

static const char *const b_ext_auth[] = {
    "bail extention authorised to {bail}",
    "i authorise extension of bail to {bail}",
    "extension approved new return {bail}",
};

static const char *const b_ext_noauth[] = {
    "bail extended to {bail}",
    "new bail date {bail} dp told",
};

static const char *const b_ext_req[] = {
    "extension requested for insp authority",
    "bail extension request sent waiting",
};

static const char *const b_fta[] = {
    "fta at {station}",
    "failed to answer bail s46a",
    "didnt turn up for bail FTA",
};

static const char *const b_fta_circ[] = {
    "circulated on pnc wanted for fta",
    "pnc circ done fta s46a",
};

static const char *const b_circ_near[] = {
    "to be circulated on pnc",
    "pnc circ not done yet",
    "needs circulating oic on rest days",
};

static const char *const b_answer[] = {
    "answered bail at {station}",
    "answerd bail as required",
    "answered bail charged on cps advice",
};

static const char *const b_fta_arrest[] = {
    "found at {addr} arrested s46a",
    "located and arrested for fta",
};

static const char *const b_fta_surrender[] = {
    "handed himself in at {station} arrested s46a",
    "came into {station} himself arested for fta",
};

static const char *const b_rui_review[] = {
    "rui reveiw remains rui awaiting forensics next review {date}",
    "rui still proportionate chase lab",
    "reviewed rui ok to continue",
};

static const char *const b_rui_near[] = {
    "rui still waiting results",
    "rui review due",
};

const struct phrase_set phrases_typo[PH__COUNT] = {
    PHRASE_CLASSES(PHRASE_TABLE_ENTRY)};
