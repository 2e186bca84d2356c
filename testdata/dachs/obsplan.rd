<?xml version="1.0" encoding="utf-8"?>
<!-- An ObsLocTAP 1.0 planning table for the integration tests of the
arcsecond obsloctap connector (connectors/obsloctap). The rows are in
obsplan.csv, written by the test TestDaCHSObsplanTable of that package
(go test ./connectors/obsloctap -run TestDaCHSObsplanTable -update) from
the recorded Rubin and Chandra replies shipped in connectors/rubin/testdata
and connectors/chandra/testdata; .ci/setup.d/45-obsplan.sh installs this
RD as arcsecond_obsplan/q, imports and publishes it. The table is
ivoa.obsplan with the columns, units and UCDs of the spec's TAP_SCHEMA
table (REC-ObsLocTAP-1.0, section 4.4), plus Rubin's two extra columns. -->
<resource schema="ivoa" resdir="arcsecond_obsplan">
  <meta name="title">arcsecond test planning log (ObsLocTAP)</meta>
  <meta name="description">Planned, scheduled and performed observations in
    the ObsLocTAP obsplan form: ten rows of Rubin's predicted schedule and
    nineteen scheduled Chandra observations as their services returned them,
    and five planning-log rows written for the tests (obs_collection
    'arcsecond-synthetic-lifecycle').</meta>
  <meta name="creationDate">2026-12-07T00:00:00Z</meta>
  <meta name="subject">observational-astronomy</meta>
  <meta name="creator.name">arcsecond project</meta>
  <meta name="contentLevel">Research</meta>
  <meta name="type">Archive</meta>

  <table id="obsplan" onDisk="True" adql="True">
    <meta name="description">ObsLocTAP 1.0 obsplan table.</meta>
    <index columns="t_min"/>
    <column name="t_planning" type="double precision" unit="d" required="True" description="Time in MJD when this observation has been added or modified into the planning log"/>
    <column name="target_name" type="text" ucd="meta.id;src" description="Astronomical object observed, if any"/>
    <column name="obs_id" type="text" ucd="meta.id" required="True" description="Observation ID"/>
    <column name="obs_collection" type="text" ucd="meta.id" description="Name of the data collection"/>
    <column name="s_ra" type="double precision" unit="deg" ucd="pos.eq.ra" description="Central right ascension, ICRS"/>
    <column name="s_dec" type="double precision" unit="deg" ucd="pos.eq.dec" description="Central declination, ICRS"/>
    <column name="s_fov" type="double precision" unit="deg" ucd="phys.angSize;instr.fov" description="Diameter (bounds) of the covered region"/>
    <column name="s_region" type="text" ucd="pos.outline;obs.field" description="Sky region covered by the data product (expressed in ICRS frame)"/>
    <column name="s_resolution" type="double precision" unit="arcsec" ucd="pos.angResolution" description="Spatial resolution of data as FWHM"/>
    <column name="t_min" type="double precision" unit="d" ucd="time.start;obs.exposure" description="Start time in MJD"/>
    <column name="t_max" type="double precision" unit="d" ucd="time.end;obs.exposure" description="Stop time in MJD"/>
    <column name="t_exptime" type="double precision" unit="s" ucd="time.duration;obs.exposure" description="Total exposure time"/>
    <column name="t_resolution" type="double precision" unit="s" ucd="time.resolution" description="Temporal resolution FWHM"/>
    <column name="em_min" type="double precision" unit="m" ucd="em.wl;stat.min" description="Start in spectral coordinates"/>
    <column name="em_max" type="double precision" unit="m" ucd="em.wl;stat.max" description="Stop in spectral coordinates"/>
    <column name="em_res_power" type="double precision" ucd="spect.resolution" description="Spectral resolving power"/>
    <column name="o_ucd" type="text" ucd="meta.ucd" description="UCD of observable (e.g., phot.flux.density, phot.count, etc.)"/>
    <column name="pol_states" type="text" ucd="meta.code;phys.polarization" description="List of polarization states or NULL if not applicable"/>
    <column name="pol_xel" type="integer" ucd="meta.number" description="Number of polarization samples"><values nullLiteral="-1"/></column>
    <column name="facility_name" type="text" ucd="meta.id;instr.tel" required="True" description="Name of the facility used for this observation"/>
    <column name="instrument_name" type="text" ucd="meta.id;instr" description="Name of the instrument used for this observation"/>
    <column name="t_plan_exptime" type="double precision" unit="s" ucd="time.duration;obs.exposure" description="Planned or scheduled exposure time"/>
    <column name="category" type="text" ucd="meta.code" description="Observation category. One of the following values: Fixed, Coordinated, Window, Other"/>
    <column name="priority" type="integer" ucd="meta.code" description="Priority level {0, 1, 2}"><values nullLiteral="-1"/></column>
    <column name="execution_status" type="text" ucd="meta.code.status" required="True" description="One of the following values: Planned, Scheduled, Unscheduled, Performed, Aborted"/>
    <column name="tracking_type" type="text" ucd="meta.code.class" description="One of the following values: Sidereal, Solar-system-object-tracking, Fixed-az-el-transit"/>
    <column name="rubin_rot_sky_pos" type="double precision" unit="deg" description="Rubin: from scheduler rotation angle; not in the IVOA obsplan table"/>
    <column name="rubin_nexp" type="integer" description="Rubin: number of exposures to take, usually 1 or 2; not in the IVOA obsplan table"><values nullLiteral="-1"/></column>
  </table>

  <data id="import">
    <sources>obsplan.csv</sources>
    <csvGrammar enc="utf-8"/>
    <make table="obsplan">
      <rowmaker idmaps="*"/>
    </make>
  </data>
</resource>
