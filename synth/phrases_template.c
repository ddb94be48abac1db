/* SPDX-License-Identifier: MIT */
/*
 * Phrasings in the template style: pasted forms (investigation plans,
 * supervisor review templates, THRIVE boxes, "Actions completed / Actions
 * outstanding"), headings with colons, numbered lists, some fields left
 * blank, "N/A", "[to be completed]", "to follow".  A line after the first
 * never starts with a placeholder or two digits (phrases.h).  Each phrasing
 * keeps its class's meaning: a filled-in review form is a review, the same
 * form left blank is not.
 */
#include "synth/phrases.h"

static const char *const report_cad[] = {
    "INCIDENT: {cad}\nSource: 999\nNature: {off}",
    "Incident ref: {cad}\nReported by: IP (101)\nSummary: {off}",
    "CALL DETAILS\nRef: {cad}\nCaller: witness\nType: {off}",
    "Report received - {cad}\nGrading: S\nDetails: IP reports {off}.",
    "Contact centre report\nCAD: {cad}\nOffence: {off}\nCaller: IP",
};

static const char *const report_direct[] = {
    "REPORT (direct)\nChannel: online\nIncident: N/A",
    "Report method: front counter, {station}\nCAD: none",
    "Source: telephone to CMU\nIncident ref: N/A - recorded direct",
    "Channel: Single Online Home\nCAD: not created",
    "Third party report\nMethod: email\nIncident: N/A",
};

static const char *const attend[] = {
    "ATTENDANCE\nTime: {time}\nVictim seen: yes\nAccount: taken",
    "Attended: yes ({addr})\nIP seen: yes\nAdvice: crime prevention",
    "Scene attendance\nIP spoken to: yes\nInjuries: none\nDetails: obtained",
    "Attendance log\nArrived: {time}\nPersons seen: IP\nNotes: IP upset, "
    "reassured",
    "ATTENDED - IP seen at home address\nFirst account: recorded on PNB",
};

static const char *const record[] = {
    "CRIME RECORD\nClassification: {off}\nHOCR: checked",
    "Crime recorded\nOffence: {off}\nNCRS: compliant",
    "Recording decision: crime\nClassification: {off}",
    "Crime report created\nType: {off}\nRecorded within 24h: yes",
};

static const char *const alloc[] = {
    "ALLOCATION\nOIC: {oic}\nTeam: LPT",
    "Allocated to: {oic}\nReason: workload",
    "Transfer\nFrom: LPT\nTo: CID",
    "Reallocation - new OIC: {oic}",
    "Allocation: {oic}\nUnit: {street} NPT",
};

static const char *const action[] = {
    "Actions completed:\n- CCTV at {shop} viewed - negative\nActions "
    "outstanding: N/A",
    "Actions completed:\n1. H2H on {street} - nil\n2. CCTV trawl - nil",
    "ENQUIRY UPDATE\nCCTV: seized from {shop}, exhibit {exh}\nH2H: to follow",
    "Forensics\nCSI attended: yes\nResult: lifts taken from point of entry",
    "Statement log\nMG11: obtained from IP\nWitnesses: none identified",
    "Witness statement\nFrom: W1 ({sname})\nTaken: at scene",
    "ABE interview\nWith: IP\nStatus: completed, DVD exhibited {exh}",
    "House to house\nArea: {street}\nDoors knocked: {n}\nResult: negative",
    "Forensic submission\nItem: swab {exh}\nSubmitted: yes\nResult: awaited",
    "Enquiry: bank (card use)\nStatus: response received - 2 transactions at "
    "{shop}",
    "CCTV\nArea checked: yes\nCameras found: none covering the scene",
    "BWV\nReviewed: yes\nExhibit: {exh}",
    "Enquiries with staff at {shop}\nResult: nobody saw the offence",
    "Phone download\nDevice: IP's handset\nResult: messages exhibited {exh}",
};

static const char *const noaction[] = {
    "Actions completed: none\nActions outstanding: CCTV, H2H",
    "CCTV: N/A\nH2H: N/A\nForensics: N/A",
    "ENQUIRY UPDATE\nCCTV: to be viewed\nH2H: to follow",
    "Lines of enquiry:\n1. CCTV - requested from {shop}, awaiting\n2. H2H - "
    "not started",
    "Forensic opportunities: none\nCCTV: none in area\nWitnesses: none",
    "Statement: appointment booked with IP for {ddmm}",
    "Intel checks: [to be completed]",
    "H2H: not possible - no staff available",
    "Enquiries:\n- CCTV: should have been seized on day one\n- H2H: "
    "outstanding",
    "Victim statement: declined\nCCTV: none",
    "LOE: [to be completed]",
};

static const char *const plan[] = {
    "INVESTIGATION PLAN\n1. Arrest {person}\n2. Interview under caution\n3. "
    "MG11 from IP",
    "Investigation plan:\n- arrest named suspect\n- CCTV at {shop}\n- H2H "
    "{street}",
    "SUSPECT STRATEGY\nSuspect: {person}\nApproach: VA, arrest if no "
    "engagement",
    "Plan\n1. Locate and arrest suspect\n2. ABE with IP\n3. PNC/intel on "
    "{person}",
    "INV PLAN (OIC)\nObjective: arrest and interview {person}\nEvidence: "
    "statement from IP, CCTV",
};

static const char *const noplan[] = {
    "INVESTIGATION PLAN\n[to be completed]",
    "Investigation plan: to follow",
    "Plan: TBC\nSuspect: named by IP",
    "Suspect strategy: [ ]",
};

static const char *const arrest[] = {
    "ARREST\nPerson: {person}\nOffence: {off}\nInterviewed: yes - denied",
    "Suspect arrested: yes\nInterview: no comment\nCustody: {station}",
    "Arrest record\nWhere: home address\nWhen: {time}\nInterview: full "
    "admissions",
    "Suspect arrested for {off}\nInterview under caution: completed",
};

static const char *const va[] = {
    "VOLUNTARY INTERVIEW\nSuspect attended: yes\nOutcome: denied",
    "VA interview\nWhere: {station}\nResult: admitted",
    "Interview (voluntary attendance)\nConducted: yes\nSolicitor: present",
};

static const char *const suspect[] = {
    "SUSPECT ENQUIRIES\nAddress visited: {addr}\nResult: no reply, card left",
    "Arrest attempt\nWhere: suspect's home address\nResult: not in",
    "Checks on suspect\nPNC: done\nIntel: current address {addr}",
    "Voluntary attendance\nLetter sent: yes\nDate offered: {ddmm}",
    "Interview arranged\nWith: suspect's solicitor\nDate: {ddmm}",
    "Enquiries with suspect's family\nSpoke to: mother\nResult: not seen "
    "him",
    "Suspect circulated\nPNC: wanted, ref {pnc}",
};

static const char *const suspect_near[] = {
    "Suspect: not yet arrested\nArrest: to be arranged",
    "Arrest attempt: not made - no resources",
    "Voluntary attendance: to be arranged",
    "Suspect address checks: [to be completed]",
    "Suspect enquiries:\n- arrest attempt: outstanding\n- intel: TBC",
};

static const char *const review[] = {
    "SUPERVISOR REVIEW\nProportionate: yes\nTHRIVE: agreed\nActions: OIC to "
    "complete H2H\nNext review: {date}",
    "{myrank} review\nLOE: appropriate\nDirection: seize CCTV from {shop} "
    "today\nNext review: {date}",
    "Supervisory review:\nInvestigation standard: good\nFurther actions: "
    "trace second witness",
    "REVIEW\nClassification: correct\nVictim care: ok\nActions set: ABE with "
    "IP",
    "Supervisor comments:\nGood initial investigation. Continue.\nNext "
    "review: {date}",
    "Review of investigation\nRisk: standard (agreed)\nDDM: continue",
    "SUPERVISOR DIRECTION\n1. OIC to submit swabs\n2. OIC to obtain MG11 "
    "from W1",
    "{myrank} REVIEW - complete\nRationale: proportionate enquiries in "
    "place",
};

static const char *const review_near[] = {
    "Supervisor review: [to be completed]",
    "SUPERVISOR REVIEW\nComments:\nActions:\nNext review:",
    "For PS review\nSubmitted: yes",
    "Sgt aware: yes",
    "Discussed with: {sgt}\nOutcome: agrees with approach",
    "Supervisor review requested\nStatus: awaiting",
};

static const char *const review_near_sup[] = {
    "SUPERVISOR REVIEW\nProportionate:\nTHRIVE:\nActions: [to be "
    "completed]\nNext review:",
    "{myrank} review: to follow",
    "Review due: {ddmm}",
    "File received\nReview: not yet done",
    "Supervisor review: N/A at this time",
};

static const char *const self_review[] = {
    "OIC REVIEW\nStatus: ongoing\nSupervisor: awaited",
    "Officer review: nothing further to add",
    "OIC review - complete\nNext: for sergeant",
};

static const char *const staff_qa[] = {
    "QA CHECK (crime standards)\nClassification: correct\nN100: complete",
    "Quality assurance\nHOCR: compliant\nFlags: vulnerability added",
    "DMU QA: ok",
};

static const char *const endorse[] = {
    "FILING REVIEW\nLOE exhausted: yes\nDecision: agree file, outcome 18",
    "Supervisor endorsement\nFiling: authorised\nRationale: no further "
    "proportionate LOE",
    "{myrank} review - filing\nAgree NFA: yes",
    "CLOSURE REVIEW\nOutcome: 18\nEndorsed: yes",
};

static const char *const vupdate[] = {
    "VICTIM CONTACT\nMethod: phone\nUpdate given: yes",
    "Victim update\nMethod: letter\nContent: where the investigation is up to",
    "VCOP UPDATE\nDate: today\nMethod: email\nNext update: {date}",
    "Victim contact: in person\nUpdated: yes",
    "Update to victim\nMethod: text (as agreed)\nNotes: IP happy",
    "Contact with IP\nType: update\nNext contact due: {date}",
};

static const char *const vattempt[] = {
    "VICTIM CONTACT\nMethod: phone\nUpdate given: no - no answer",
    "Victim update: not done - OIC on leave",
    "Contact attempt\nResult: number unobtainable",
    "Victim contact: [to be completed]",
    "Update due: {ddmm}\nMade: no",
};

static const char *const screen[] = {
    "SCREENING\nSolvability: nil\nDecision: screened out, filed outcome 18",
    "Screening decision: not for further investigation\nStatus: filed",
    "SCREENING ASSESSMENT\nLOE: none\nOutcome: filed pending further "
    "information",
};

static const char *const file[] = {
    "FINALISATION\nOutcome: 18\nStatus: filed",
    "Crime filed\nOutcome: undetected (18)",
    "Closure\nStatus: filed pending further information",
};

static const char *const told[] = {
    "Victim informed: yes\nDecision: no further investigation",
    "VCOP - closure letter\nSent: yes\nReason: screened out",
    "Notification to victim\nMethod: phone\nContent: crime filed, not "
    "investigated",
};

static const char *const told_near[] = {
    "Victim informed of filing: [to be completed]",
    "Closure letter: not yet sent",
    "Victim informed: no - no answer",
};

static const char *const out_charge[] = {
    "OUTCOME\nResult: charged ({off})\nCourt: bailed",
    "CHARGE\nAuthorised by: CPS\nRemanded: yes",
    "Outcome 1: charged",
};

static const char *const out_cr[] = {
    "OUTCOME\nCommunity resolution: issued\nIP agrees: yes",
    "Outcome 8: community resolution",
};

static const char *const out_15[] = {
    "OUTCOME\nCode: 15\nReason: evidential difficulties, IP supports",
    "Outcome 15 - suspect identified, evidential difficulties",
};

static const char *const out_16[] = {
    "OUTCOME\nCode: 16\nReason: victim does not support",
    "Outcome 16: IP withdrew support",
};

static const char *const out_told[] = {
    "Victim informed of outcome: yes",
    "Outcome letter\nSent to IP: yes",
    "IP updated - result given",
};

static const char *const noise[] = {
    "THRIVE\nThreat: low\nHarm: low\nRisk: standard",
    "Needs assessment: completed\nEnhanced: no",
    "Victim Support referral: yes (consent given)",
    "Property: recorded on system",
    "Insurance: crime ref given to IP",
};

static const char *const noise_vuln[] = {
    "VULNERABILITY\nMarkers: checked\nEnhanced service: yes",
    "Safeguarding referral: submitted to MASH",
};

static const char *const noise_viol[] = {
    "DASH\nRisk level: medium\nMARAC: no",
    "Injuries: noted\nFirst aid: given",
};

static const char *const w_decide[] = {
    "WANTED DECISION\nPerson: {person}\nOffence: {off} ({crime})\nCirculate: "
    "yes",
    "Decision to circulate\nSubject: {person}\nGrounds: {off}",
    "Wanted person\nRef: {crime}\nCirculation: to be requested",
};

static const char *const w_circ[] = {
    "PNC CIRCULATION\nType: wanted\nRef: {pnc}",
    "Circulated: PNC (wanted), PND",
    "Wanted marker\nPNC: placed\nRef: {pnc}",
    "Circulation completed\nSystem: PNC",
};

static const char *const trace[] = {
    "TRACE ACTION\nAddress: {addr}\nResult: no trace",
    "Arrest attempt\nWhere: home address\nResult: not present",
    "Checks:\n- custody suites: negative\n- hospitals: negative",
    "Intel check\nResult: possible address {addr}",
    "Trace/locate\nEnquiry: family\nResult: whereabouts unknown",
    "ANPR\nVRM: {vrm}\nHits: none",
    "Social media check\nResult: account inactive",
    "Workplace visit\nSubject present: no",
    "Probation enquiry\nCurrent address: none held",
    "DWP check\nResult: last address {addr}, visited - moved away",
};

static const char *const notrace[] = {
    "Trace actions: none this period",
    "TRACE PLAN\n1. Address check - outstanding\n2. Intel - TBC",
    "Trace/locate: [to be completed]",
    "Address check: to follow",
};

static const char *const w_review[] = {
    "WANTED REVIEW\nStill proportionate: yes\nTrace plan: agreed\nNext "
    "review: {date}",
    "{myrank} review (wanted)\nDirection: early morning arrest attempt at "
    "home address",
    "28 DAY REVIEW\nCirculation: remain\nActions: refer to proactive team",
    "Supervisor review of wanted file\nAssessment: good trace effort\n"
    "Next review: {date}",
    "REVIEW\nNew intel: yes\nAction: OIC to check new address this week",
};

static const char *const w_review_near[] = {
    "WANTED REVIEW\nStill proportionate:\nTrace plan:\nNext review:",
    "28 day review: due",
    "Supervisor review: overdue",
};

static const char *const w_close_arrest[] = {
    "WANTED - CLOSED\nReason: arrested by {ofc}\nPNC: cancelled",
    "Located and arrested\nCirculation: cancelled",
};

static const char *const w_close_cancel[] = {
    "WANTED - CLOSED\nReason: NFA (CPS)\nPNC: cancelled",
    "Circulation cancelled\nReason: no longer required",
};

static const char *const b_arrest[] = {
    "ARREST\nOffence: {off}\nCustody: {station}",
    "Arrested: yes\nFor: {off}\nWhere: {addr}",
};

static const char *const b_bailed_new[] = {
    "BAIL DECISION (custody officer)\nPre-charge bail: authorised\nReturn: "
    "{bail}\nConditions: no contact with IP",
    "Custody officer authority\nBail to: {bail}\nReturn to: {station}",
};

static const char *const b_bailed_old[] = {
    "BAIL AUTHORITY\nAuthorised by: {myrank} (me)\nPeriod: 28 days\nReturn: "
    "{bail}",
    "Pre-charge bail authorised\nReturn date: {bail}\nLocation: {station}",
};

static const char *const b_bailed_note[] = {
    "Bail\nGiven by: custody\nReturn: {bail}",
    "DP bailed\nReturn date: {bail}\nConditions: as per custody record",
};

static const char *const b_rui[] = {
    "Disposal: RUI\nReason: awaiting forensics",
    "RELEASED UNDER INVESTIGATION\nConditions: none",
};

static const char *const b_rui_auth[] = {
    "RUI AUTHORITY\nAuthorised: yes\nReason: bail not necessary",
    "Custody decision: release under investigation (authorised)",
};

static const char *const b_ext_auth[] = {
    "BAIL EXTENSION\nAuthorised: yes\nNew return: {bail}\nDiligent and "
    "expeditious: yes",
    "Extension authority\nNew date: {bail}\nAuthorised by: me",
    "Bail extension approved\nReturn: {bail}",
};

static const char *const b_ext_noauth[] = {
    "Bail date changed\nNew return: {bail}",
    "Return date: {bail}\nDP informed: yes",
};

static const char *const b_ext_req[] = {
    "EXTENSION REQUEST\nNew date sought: {bail}\nAuthority: [to be "
    "completed]",
    "Bail extension: requested\nDecision: awaited",
};

static const char *const b_fta[] = {
    "BAIL\nAnswered: no\nStatus: FTA",
    "Failed to answer bail\nPower: s.46A",
    "Bail appointment: not attended",
};

static const char *const b_fta_circ[] = {
    "PNC CIRCULATION\nReason: FTA (s.46A)\nType: wanted",
    "Circulated: yes (FTA)",
};

static const char *const b_circ_near[] = {
    "PNC circulation: to be done",
    "Circulation: requested from bureau\nStatus: pending",
    "Circulated: no",
};

static const char *const b_answer[] = {
    "BAIL\nAnswered: yes\nStation: {station}",
    "Answered bail: yes\nOutcome: charged (CPS authority)",
    "Surrendered to bail\nBooked in: yes",
};

static const char *const b_fta_arrest[] = {
    "FTA - LOCATED\nWhere: {addr}\nArrested: yes (s.46A)",
    "Arrested for FTA\nFound at: {addr}",
};

static const char *const b_fta_surrender[] = {
    "FTA - HANDED IN\nWhere: {station} front counter\nArrested: yes "
    "(s.46A)",
    "Attended station voluntarily\nArrested: FTA",
};

static const char *const b_rui_review[] = {
    "RUI REVIEW\nStill necessary: yes\nProgress: awaiting forensics\nNext "
    "review: {date}",
    "{myrank} review (RUI)\nProportionate: yes\nDirection: chase lab",
    "28 DAY RUI REVIEW\nStatus: continue",
};

static const char *const b_rui_near[] = {
    "RUI REVIEW\nStill necessary:\nNext review:",
    "RUI review: due",
    "RUI: results awaited",
};

const struct phrase_set phrases_template[PH__COUNT] = {
    PHRASE_CLASSES(PHRASE_TABLE_ENTRY)};
