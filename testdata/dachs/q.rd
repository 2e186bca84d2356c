<?xml version="1.0" encoding="utf-8"?>
<!-- A small ObsCore table for the integration tests of the arcsecond TAP
client (connectors/vo/tap) and ObsCore connector. Its rows are in obs.csv,
written deterministically by gen/main.go; .ci/setup.d/40-dachs.sh installs
this RD as arcsecond/q, imports and publishes it. The table is published
into ivoa.obscore through the //obscore#publishObscoreLike mixin; the
setup script extends this site's ivoa.obscore by the optional ObsCore 1.1
columns proposal_id and obs_creator_name (see userconfig.rd here). -->
<resource schema="arcsecond">
  <meta name="title">arcsecond test observations (ObsCore)</meta>
  <meta name="description">Three thousand invented but realistic
    observations by ESO VLT, HST, Gemini and Swift instruments of well-known
    targets, for testing TAP and ObsCore clients.</meta>
  <meta name="creationDate">2026-11-27T00:00:00Z</meta>
  <meta name="subject">observational-astronomy</meta>
  <meta name="creator.name">arcsecond project</meta>
  <meta name="contentLevel">Research</meta>
  <meta name="type">Archive</meta>

  <table id="obs" onDisk="True" adql="True" primary="obs_publisher_did">
    <meta name="description">Observations in ObsCore form, with the
      proposal identifier and the principal investigator.</meta>
    <mixin
      dataproduct_subtype="NULL"
      obs_creator_did="NULL"
      t_resolution="NULL"
      em_res_power="NULL"
      pol_states="NULL"
      t_xel="NULL"
      em_xel="NULL"
      pol_xel="NULL"
      em_ucd="NULL"
      preview="NULL"
      proposal_id="proposal_id"
      obs_creator_name="obs_creator_name"
      source_table="'arcsecond.obs'"
      >//obscore#publishObscoreLike</mixin>

    <index columns="s_ra,s_dec" kind="q3c"/>
    <index columns="t_min"/>
    <index columns="target_name"/>

    <column name="obs_id" type="text" ucd="meta.id" description="Archive identifier of the observation"/>
    <column name="obs_publisher_did" type="text" ucd="meta.ref.ivoid" description="Publisher's dataset identifier"/>
    <column name="obs_collection" type="text" ucd="meta.id" description="Collection"/>
    <column name="obs_title" type="text" ucd="meta.title;obs" description="Short title"/>
    <column name="dataproduct_type" type="text" ucd="meta.code.class" description="image, spectrum, cube, event, ..."/>
    <column name="calib_level" type="smallint" required="True" ucd="meta.code;obs.calib" description="Calibration level (0..4)"/>
    <column name="facility_name" type="text" ucd="meta.id;instr.tel" description="Observatory or facility"/>
    <column name="instrument_name" type="text" ucd="meta.id;instr" description="Instrument"/>
    <column name="target_name" type="text" ucd="meta.id;src" description="Target name"/>
    <column name="target_class" type="text" ucd="src.class" description="Target class"/>
    <column name="s_ra" type="double precision" unit="deg" ucd="pos.eq.ra" description="RA of the field centre (ICRS)"/>
    <column name="s_dec" type="double precision" unit="deg" ucd="pos.eq.dec" description="Dec of the field centre (ICRS)"/>
    <column name="s_fov" type="double precision" unit="deg" ucd="phys.angSize;instr.fov" description="Field of view diameter"/>
    <column name="s_region" type="spoly" xtype="adql:REGION" unit="deg" ucd="pos.outline;obs.field" description="Footprint"/>
    <column name="s_resolution" type="double precision" unit="arcsec" ucd="pos.angResolution" description="Angular resolution"/>
    <column name="s_pixel_scale" type="double precision" unit="arcsec" ucd="phys.angSize;instr.pixel" description="Pixel scale"/>
    <column name="s_xel1" type="bigint" required="True" ucd="meta.number" description="Pixels along axis 1"/>
    <column name="s_xel2" type="bigint" required="True" ucd="meta.number" description="Pixels along axis 2"/>
    <column name="t_min" type="double precision" unit="d" ucd="time.start;obs.exposure" xtype="mjd" description="Start (MJD UTC)"/>
    <column name="t_max" type="double precision" unit="d" ucd="time.end;obs.exposure" xtype="mjd" description="End (MJD UTC)"/>
    <column name="t_exptime" type="double precision" unit="s" ucd="time.duration;obs.exposure" description="Exposure time"/>
    <column name="em_min" type="double precision" unit="m" ucd="em.wl;stat.min" description="Shortest wavelength"/>
    <column name="em_max" type="double precision" unit="m" ucd="em.wl;stat.max" description="Longest wavelength"/>
    <column name="o_ucd" type="text" ucd="meta.ucd" description="UCD of the observable"/>
    <column name="access_url" type="text" ucd="meta.ref.url" description="Where the data would be"/>
    <column name="access_format" type="text" ucd="meta.code.mime" description="MIME type of the data"/>
    <column name="access_estsize" type="bigint" required="True" unit="kbyte" ucd="phys.size;meta.file" description="Estimated size"/>
    <column name="proposal_id" type="text" ucd="meta.id;obs.proposal" description="Proposal identifier"/>
    <column name="obs_creator_name" type="text" ucd="meta.id.PI" description="Principal investigator"/>
    <column name="obs_release_date" type="double precision" unit="d" ucd="time.release" xtype="mjd" description="Public release (MJD)"/>
  </table>

  <data id="import">
    <sources>obs.csv</sources>
    <csvGrammar enc="utf-8"/>
    <make table="obs">
      <rowmaker idmaps="*">
        <map key="s_region">pgsphere.SPoly.fromDALI([float(v) for v in @s_region.split()])</map>
      </rowmaker>
    </make>
  </data>
</resource>
