/* SPDX-License-Identifier: MIT */
/*
 * Phrasings in the narrative style: full sentences, as a careful detective
 * or supervisor writes them, often in the first person.  Supervisors here
 * assess and direct in their own words, mostly without the word "review";
 * constables mention sergeants without being one.  Each phrasing keeps its
 * class's meaning (phrases.h).
 */
#include "synth/phrases.h"

static const char *const report_cad[] = {
    "The victim called 999 to report {off}; the call is logged as {cad}.",
    "A member of the public rang 101 about {off}. Incident {cad} refers.",
    "This report came in through the force control room under {cad}: the "
    "caller describes {off}.",
    "Report of {off} received by telephone. The incident number is {cad}.",
    "The incident was created as {cad} after a witness reported {off}.",
};

static const char *const report_direct[] = {
    "The victim made this report online through the force website, so no "
    "incident was created.",
    "The victim came to the front counter at {station} and the report was "
    "recorded directly.",
    "The report was made by telephone straight to the crime management unit; "
    "there is no incident log.",
    "A third party emailed this report to us and it has been recorded "
    "directly.",
};

static const char *const attend[] = {
    "I attended and spoke to the victim, who gave me a first account of what "
    "happened.",
    "Officers attended {addr}. The victim was seen and their details were "
    "taken.",
    "I went to the victim's home, reassured them and gave crime prevention "
    "advice.",
    "On arrival the victim was present and uninjured; I took a brief account "
    "from them.",
    "I attended at {time} and saw the victim, who was upset but not hurt.",
    "Attended the address and spoke with the victim, who explained what had "
    "been taken.",
};

static const char *const record[] = {
    "I have recorded this as {off}, which fits the Home Office counting "
    "rules.",
    "The crime has been recorded as {off}.",
    "Having read the incident, I have recorded a crime of {off}.",
    "This has been crimed as {off} in line with the national standard.",
};

static const char *const alloc[] = {
    "I have allocated this crime to {oic}.",
    "This investigation now sits with {oic}, who is the officer in the case.",
    "The file has been transferred to CID.",
    "Reallocated to {oic} as the original officer is on long-term leave.",
    "I am passing this to the neighbourhood team; {oic} will be the OIC.",
};

static const char *const action[] = {
    "I viewed the CCTV at {shop} with the manager; the offender's face cannot "
    "be seen.",
    "I seized the CCTV from {shop} and exhibited it as {exh}.",
    "I checked the area for CCTV and found no cameras covering the car park.",
    "House-to-house enquiries were completed on {street}; nobody saw or "
    "heard anything.",
    "I knocked on {n} doors on {street}. No one had seen anything, so the "
    "house-to-house is negative.",
    "A CSI examined the scene and lifted fingerprints from the rear window.",
    "The scene was examined by a crime scene investigator, but there were no "
    "forensic opportunities.",
    "I submitted the swab from the door handle for DNA analysis under "
    "exhibit {exh}.",
    "I took a full witness statement from the victim.",
    "A statement was obtained from the witness, {sname}, who saw a man "
    "running towards {street}.",
    "The victim was interviewed on video (ABE) and the recording is "
    "exhibited as {exh}.",
    "I reviewed the body-worn video from the first attending officer and "
    "exhibited it.",
    "I spoke to the staff at {shop}; nobody saw the offence take place.",
    "The bank has answered our request and confirmed two transactions on the "
    "stolen card at {shop}.",
    "ANPR checks on the victim's stolen car, {vrm}, have returned no hits.",
    "I downloaded the messages from the victim's phone and exhibited the "
    "threats as {exh}.",
    "Footwear marks at the point of entry were photographed and lifted.",
    "I made enquiries with the neighbours at {addr}; none of them heard "
    "anything that night.",
};

static const char *const noaction[] = {
    "There is no CCTV in the area and the victim knows of no witnesses.",
    "House-to-house has not been done because the shift ended.",
    "The CCTV still needs to be viewed once the shop sends it over.",
    "I have asked {shop} for their CCTV but have not received it yet.",
    "The intelligence checks on the van are still to be done.",
    "I have booked an appointment on {day} to take the victim's statement.",
    "The victim declined to give a statement.",
    "In hindsight the CCTV ought to have been seized on the first day; it "
    "has now been overwritten.",
    "Door knocking was not possible today as there were no officers free.",
    "There are no forensic opportunities, so a CSI has not been requested.",
    "I will make enquiries at the scene when I am next on duty.",
    "No lines of enquiry have been identified.",
};

static const char *const plan[] = {
    "My investigation plan is to arrest {person}, interview them and take a "
    "statement from the victim.",
    "I intend to invite the suspect for a voluntary interview and, if they "
    "do not engage, arrest them. I will also obtain the CCTV from {shop}.",
    "The plan is to locate and arrest the named suspect, then conduct house-"
    "to-house on {street}.",
    "Plan agreed with the victim: we will arrest {person}, seek CCTV and "
    "arrange an ABE interview.",
};

static const char *const noplan[] = {
    "The victim has named a suspect; I will write up a plan when I am back.",
    "There is no investigation plan yet.",
    "A plan still needs to be agreed with my sergeant.",
    "Suspect details were passed by the victim but no plan has been "
    "recorded.",
};

static const char *const arrest[] = {
    "I arrested the suspect at his home address for {off}.",
    "The named suspect was arrested and interviewed; he denies the offence.",
    "{person} was arrested and interviewed under caution and made no "
    "comment.",
    "The suspect was arrested, taken to {station} and interviewed, during "
    "which they made full admissions.",
};

static const char *const va[] = {
    "The suspect attended {station} for a voluntary interview and denied the "
    "offence.",
    "I interviewed the suspect under caution by voluntary attendance; they "
    "admitted it.",
    "The voluntary interview with the suspect took place today with a "
    "solicitor present.",
};

static const char *const suspect[] = {
    "I went to the suspect's home address at {addr} to arrest him, but there "
    "was no reply.",
    "I attempted to arrest the suspect at home this morning; his partner "
    "says he has not been there for a week.",
    "I have carried out PNC and intelligence checks on the suspect, which "
    "confirm his address as {addr}.",
    "I have sent the suspect a letter inviting them to a voluntary "
    "interview.",
    "I have arranged an interview with the suspect's solicitor for {day}.",
    "I spoke to the suspect's mother, who has not seen him but will pass on "
    "a message.",
    "I checked the suspect's social media; the account is active but gives "
    "no location.",
    "The suspect has been circulated on PNC as wanted.",
    "I called at the suspect's workplace; he was not on shift and the "
    "manager will ask him to contact me.",
};

static const char *const suspect_near[] = {
    "The suspect will be arrested once he is located.",
    "No arrest attempt has been made yet because no officers were free.",
    "I will arrange a voluntary interview with the suspect.",
    "Checks at the suspect's address are still outstanding.",
    "With hindsight the suspect should have been arrested at the scene.",
    "The suspect has not yet been arrested or interviewed.",
};

static const char *const review[] = {
    "Gone through the file, decent work so far. {oic} to trace the second "
    "witness.",
    "I have read the file. The enquiries are proportionate; please chase the "
    "CCTV from {shop} before it is overwritten.",
    "Please ensure the CCTV is seized today and the house-to-house is "
    "completed.",
    "I agree with the risk assessment and the lines of enquiry. Next look at "
    "this on {date}.",
    "Good initial investigation. The OIC needs to book the ABE interview "
    "this week.",
    "I have looked at this crime: it is correctly classified and the "
    "victim's needs are being met. Continue.",
    "Having considered the file, I am satisfied the investigation is "
    "progressing. Submit the swabs for analysis.",
    "The OIC has done the right things so far; get a statement from the "
    "neighbour at {addr}.",
    "{myrank} review: proportionate, continue, next review {date}.",
    "I've discussed the case with the OIC and agree the approach. Update the "
    "victim weekly.",
};

static const char *const review_near[] = {
    "My sergeant is aware.",
    "I have discussed this with {sgt}, who agrees with what I have done.",
    "I have sent the file to {sgt} for review.",
    "I am waiting for a supervisor to review the file.",
    "This is ready for my sergeant to look at.",
    "{sgt} is aware and happy for me to carry on.",
};

static const char *const review_near_sup[] = {
    "I have received the file and will look at it on my next shift.",
    "I have not reviewed this yet; it is on my list for tomorrow.",
    "A review is due on {ddmm}.",
    "I will review this when I return from leave.",
    "File received from the OIC.",
};

static const char *const self_review[] = {
    "I have reviewed my own file and have nothing further to add.",
    "I have been back through my enquiries and will update the victim.",
    "OIC review: I am waiting for my sergeant's view.",
};

static const char *const staff_qa[] = {
    "Quality check by the crime standards team: the classification is "
    "correct.",
    "I have checked this record for data quality and added a vulnerability "
    "flag.",
    "Crime recording audit: compliant with the counting rules.",
};

static const char *const endorse[] = {
    "I have read the file and agree it should be filed; no proportionate "
    "lines of enquiry remain.",
    "I agree with no further action; there are no proportionate lines of "
    "enquiry left.",
    "Happy to file this as outcome 18.",
    "I endorse the decision to file pending further information.",
    "Having gone through the enquiries, I authorise this crime to be filed.",
};

static const char *const vupdate[] = {
    "I phoned the victim and updated them on the progress of the "
    "investigation.",
    "The victim has been updated; nothing has changed and they are content.",
    "I wrote to the victim to update them.",
    "Victim updated in person at home, as agreed in the contact plan.",
    "I emailed the victim an update, as they asked to be contacted by email.",
    "Updated the victim by text message, as requested.",
    "The victim has been updated and the next update is due on {date}.",
    "I spoke to the victim today and explained where the investigation is "
    "up to.",
};

static const char *const vattempt[] = {
    "I tried to call the victim to update them, but there was no answer; I "
    "left a voicemail.",
    "I attempted to contact the victim with an update; no reply.",
    "The victim could not be contacted, so no update was given.",
    "No update has been given this month as the OIC is on leave.",
    "The number we hold for the victim no longer works.",
};

static const char *const screen[] = {
    "This crime has been screened out: there are no lines of enquiry and no "
    "suspect. Filed pending further information.",
    "Under the solvability assessment this will not be investigated further. "
    "Filed as outcome 18.",
    "Screening decision: no proportionate lines of enquiry, so the crime is "
    "filed.",
};

static const char *const file[] = {
    "The crime is filed as outcome 18; no suspect has been identified.",
    "I have filed this crime pending any new information.",
    "The investigation is concluded and the crime has been filed as "
    "undetected.",
};

static const char *const told[] = {
    "I have told the victim that the crime will not be investigated further.",
    "The victim has been informed by letter that the crime has been filed "
    "without further investigation.",
    "I phoned the victim to explain the screening decision; they understood.",
    "The victim was told that there will be no further investigation.",
};

static const char *const told_near[] = {
    "The victim still needs to be told that the crime has been filed.",
    "The letter telling the victim about the filing has not been sent.",
    "I tried to call the victim about the filing but there was no answer.",
};

static const char *const out_charge[] = {
    "The suspect has been charged with {off} and bailed to court.",
    "The CPS authorised a charge and the suspect was remanded.",
    "Charged; outcome 1.",
};

static const char *const out_cr[] = {
    "A community resolution was agreed with the victim's support.",
    "The crime has been finalised with a community resolution (outcome 8).",
};

static const char *const out_15[] = {
    "Outcome 15: the suspect is identified but there are evidential "
    "difficulties; the victim supports action.",
    "The evidence is not sufficient to proceed, so the crime is closed as "
    "outcome 15.",
};

static const char *const out_16[] = {
    "The victim no longer supports a prosecution; outcome 16.",
    "Closed as outcome 16 because the victim has withdrawn support.",
};

static const char *const out_told[] = {
    "The victim has been told the outcome.",
    "I wrote to the victim with the result of the case.",
    "The victim was informed of the outcome and was happy with it.",
};

static const char *const noise[] = {
    "The THRIVE assessment puts this at standard risk.",
    "A victim needs assessment was completed with the victim.",
    "With the victim's consent a referral was made to Victim Support.",
    "The stolen property has been recorded on the system.",
    "The victim was given the crime number for their insurer.",
};

static const char *const noise_vuln[] = {
    "The victim's vulnerability markers were checked and they qualify for "
    "the enhanced service.",
    "A safeguarding referral has been sent to the MASH.",
};

static const char *const noise_viol[] = {
    "A DASH risk assessment was completed and graded medium.",
    "The victim's injuries were noted and first aid was given.",
};

static const char *const w_decide[] = {
    "A decision has been made to circulate {person} as wanted for {off} "
    "({crime}).",
    "The suspect for {off} remains outstanding and needs circulating on "
    "PNC.",
    "There are grounds to arrest {person} for {off}, so circulation as "
    "wanted has been requested.",
};

static const char *const w_circ[] = {
    "The subject has been circulated on PNC as wanted.",
    "A PNC wanted report has been created, reference {pnc}.",
    "I placed a wanted marker on PNC and PND.",
    "Circulation on PNC is complete.",
};

static const char *const trace[] = {
    "I checked the home address at {addr}; there was no trace of the "
    "subject.",
    "An early morning arrest attempt was made at the home address, but the "
    "subject was not there.",
    "I went to the last known address; the occupant says the subject moved "
    "out a month ago.",
    "Intelligence checks have given a possible new address at {addr}.",
    "I checked the custody suites and local hospitals with negative results.",
    "I checked the subject's social media; there is no sign of them.",
    "ANPR checks on {vrm} returned no hits.",
    "Probation hold no current address for the subject.",
    "I visited the subject's workplace; they have not been in for two weeks.",
    "I spoke to the subject's family, who say they do not know where they "
    "are.",
    "The phone number we hold for the subject is no longer in use.",
    "I followed up a sighting on {street}, but the subject had gone.",
};

static const char *const notrace[] = {
    "No trace enquiries were carried out this period.",
    "The trace enquiries are still outstanding.",
    "The subject remains wanted.",
    "Trace actions still need to be allocated.",
    "I will check the home address when resources allow.",
};

static const char *const w_review[] = {
    "I have reviewed the wanted file. Circulation remains proportionate and "
    "the trace plan is sound. Next review {date}.",
    "Good trace work so far. Please try an early morning arrest at the home "
    "address this week.",
    "Circulation is still necessary and proportionate; refer to the "
    "proactive team.",
    "I have looked at the trace log. The OIC should check the new address "
    "from intelligence.",
    "The subject is still outstanding and the enquiries made are "
    "reasonable; continue.",
};

static const char *const w_review_near[] = {
    "The 28-day review is due and has been sent to the sergeant.",
    "I am waiting for the supervisor's 28-day review.",
    "The supervisory review of this wanted file is overdue.",
};

static const char *const w_close_arrest[] = {
    "The subject was arrested by {ofc} at {addr} and the wanted marker has "
    "been cancelled.",
    "Located and arrested following a stop check.",
    "The subject handed himself in at {station} and was arrested; PNC "
    "circulation cancelled.",
};

static const char *const w_close_cancel[] = {
    "The circulation has been cancelled after the CPS advised no further "
    "action.",
    "The wanted marker has been removed as it is no longer needed.",
};

static const char *const b_arrest[] = {
    "The suspect was arrested on suspicion of {off}.",
    "I arrested the suspect for {off} and took them to {station}.",
    "The suspect was arrested at {addr} for {off}.",
};

static const char *const b_bailed_new[] = {
    "As custody officer I have authorised pre-charge bail until {bail}, with "
    "a condition not to contact the victim.",
    "I have granted pre-charge bail to return to {station} on {bail}.",
};

static const char *const b_bailed_old[] = {
    "I authorise pre-charge bail for 28 days, returning on {bail}.",
    "I have authorised bail for the suspect to return to {station} on "
    "{bail}.",
};

static const char *const b_bailed_note[] = {
    "The detained person was bailed by the custody sergeant to {bail}.",
    "The suspect has been released on pre-charge bail to {bail}.",
};

static const char *const b_rui[] = {
    "The suspect has been released under investigation while we wait for "
    "forensic results.",
    "Released under investigation pending advice from the CPS.",
};

static const char *const b_rui_auth[] = {
    "I have authorised release under investigation; bail is not necessary "
    "or proportionate.",
    "As custody officer I agree release under investigation while the lab "
    "results are awaited.",
};

static const char *const b_ext_auth[] = {
    "I authorise an extension of pre-charge bail to {bail}; the "
    "investigation is being conducted diligently and expeditiously.",
    "I have approved the bail extension to {bail}.",
    "Having considered the grounds, I extend bail to {bail}.",
};

static const char *const b_ext_noauth[] = {
    "The bail return date has been moved to {bail} and the suspect told.",
    "Bail has been put back to {bail} while results are awaited.",
};

static const char *const b_ext_req[] = {
    "I have asked an inspector to authorise extending bail.",
    "A request to extend bail has been submitted and is awaiting a decision.",
    "I have requested a bail extension but have not yet had a reply.",
};

static const char *const b_fta[] = {
    "The suspect failed to answer bail at {station} today.",
    "They did not attend their bail appointment.",
    "The suspect has failed to answer bail and can be arrested under "
    "section 46A.",
};

static const char *const b_fta_circ[] = {
    "The suspect has been circulated on PNC as wanted for failing to answer "
    "bail.",
    "PNC circulation completed for failing to answer bail (s.46A).",
};

static const char *const b_circ_near[] = {
    "The suspect still needs to be circulated on PNC.",
    "I have asked the PNC bureau to circulate the suspect; it has not been "
    "done yet.",
    "Circulation has not been done because the OIC is on rest days.",
};

static const char *const b_answer[] = {
    "The suspect answered bail at {station} as required.",
    "The suspect surrendered to custody on the bail date and was charged on "
    "the advice of the CPS.",
    "The suspect answered bail today.",
};

static const char *const b_fta_arrest[] = {
    "The suspect was found at {addr} and arrested under section 46A.",
    "Following the address checks the suspect was located and arrested for "
    "failing to answer bail.",
};

static const char *const b_fta_surrender[] = {
    "The suspect handed himself in at the {station} front counter and was "
    "arrested under section 46A.",
    "The suspect came into {station} of his own accord and was arrested for "
    "failing to answer bail.",
};

static const char *const b_rui_review[] = {
    "I have reviewed the release under investigation: it remains necessary "
    "while we await the forensics. Next review {date}.",
    "The RUI is still proportionate. Please chase the lab for the results.",
    "Having looked at the progress, I am content for the suspect to remain "
    "under investigation.",
};

static const char *const b_rui_near[] = {
    "We are still waiting for the results in this RUI case.",
    "The RUI review is due.",
    "I chased the lab; the case has not been reviewed yet.",
};

const struct phrase_set phrases_narrative[PH__COUNT] = {
    PHRASE_CLASSES(PHRASE_TABLE_ENTRY)};
